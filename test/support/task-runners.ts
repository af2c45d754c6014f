import { randomUUID } from 'node:crypto';
import { waitFor } from './scm-polling';
import { signDelivery } from './signers';

export { waitFor };
import type { HttpResult, TestServer } from './test-server';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const GITHUB_EXAMPLES: Array<{ name: string; examples: any[] }> = require('@octokit/webhooks-examples/api.github.com/index.json');

/** A copy of a real GitHub sample: `name` is the event, `action` picks the sample. */
export function githubSample(name: string, action: string): any {
  const sample = GITHUB_EXAMPLES.find((e) => e.name === name)!.examples.find((e) => e.action === action);
  if (!sample) throw new Error(`no ${name} ${action} sample`);
  return structuredClone(sample);
}

/** A real `pull_request` closed sample, merged, for `repository` and pull request `number`. */
export function mergedPullRequest(repository: string, number: number, title = 'Update the README'): any {
  const body = githubSample('pull_request', 'closed');
  body.number = number;
  body.pull_request.number = number;
  body.pull_request.merged = true;
  body.pull_request.title = title;
  body.repository.full_name = repository;
  return body;
}

/** Sends a GitHub delivery signed with `secret` as GitHub would, to `/webhooks/<uri>`. */
export function sendGithub(server: TestServer, uri: string, secret: string, event: string, payload: unknown, headers: Record<string, string> = {}) {
  const body = JSON.stringify(payload);
  return server.webhook(uri, body, { 'x-github-event': event, 'x-github-delivery': randomUUID(), ...signDelivery('github', { secret, body }), ...headers });
}

export type RunnerCall = <T = any>(method: string, path: string, body?: unknown) => Promise<HttpResult<T>>;

export interface TestRunner {
  id: string;
  name: string;
  token: string;
  call: RunnerCall;
}

/** A runner created through the API, calling with its own token. */
export async function createRunner(server: TestServer, name: string, providers?: string[]): Promise<TestRunner> {
  const created = await server.post('/api/runners', { name, ...(providers && { providers }) });
  if (created.status !== 201) throw new Error(`runner: ${created.status} ${created.text}`);
  const token: string = created.body.token;
  const call: RunnerCall = (method, path, body) => server.request(method, path, body, { auth: false, headers: { authorization: `Bearer ${token}` } });
  return { id: created.body.id, name, token, call };
}

/** An admin's view of a task once it is in `status`. */
export function waitForTask(server: TestServer, id: string, status: string, timeoutMs?: number): Promise<any> {
  return waitFor(`task ${id} becoming ${status}`, async () => (await server.get(`/api/tasks/${id}`)).body, (task) => task?.status === status, timeoutMs);
}
