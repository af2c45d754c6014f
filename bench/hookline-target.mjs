// A started Hookline as the bench's target: the provider and functions the workload needs, counts
// of stored messages by status (through the admin API, so the same on PGlite and PostgreSQL)
// and waiting for the queue.
import { api, sleep } from './lib.mjs';
import { PUSH_REF } from './payload.mjs';

export const ADMIN_PASSWORD = 'bench-admin-password';
export const GITHUB_SECRET = 'bench-github-secret-0123456789';

const UNFINISHED = ['received', 'queued', 'processing'];

// The function checks the ref and answers; respond() decides a sync caller's answer.
const FUNCTION_SCRIPT = `const ref = request.json?.ref;
if (ref !== ${JSON.stringify(PUSH_REF)}) {
  respond({ status: 422, body: { error: "unexpected ref " + ref } });
  return { ignored: ref };
}
respond({ status: 200, body: { ok: true, ref } });
return { ref, commits: request.json.commits.length };`;

export async function login(baseUrl) {
  const { json } = await api(baseUrl, 'POST', '/api/auth/login', { body: { username: 'admin', password: ADMIN_PASSWORD } });
  return json.token;
}

/**
 * One GitHub provider ahead of every other (lowest priority number), claiming the bench's uris,
 * with the github scheme and a secret; a function on each uri. Returns the provider's id.
 */
export async function setUpBench(baseUrl, token, uris) {
  const { json: providers } = await api(baseUrl, 'GET', '/api/providers', { token });
  const list = Array.isArray(providers) ? providers : (providers.items ?? []);
  const first = Math.min(0, ...list.map((p) => p.priority)) - 1;
  const { json: provider } = await api(baseUrl, 'POST', '/api/providers', {
    token,
    body: {
      name: 'bench github',
      priority: first,
      matchScript: 'return request.headers["x-github-event"] !== undefined && request.uri.startsWith("bench/");',
      verification: { scheme: 'github', secret: GITHUB_SECRET },
    },
  });
  for (const uri of uris) {
    await api(baseUrl, 'POST', '/api/functions', { token, body: { name: `bench ${uri}`, providerId: provider.id, uri, script: FUNCTION_SCRIPT } });
  }
  return provider.id;
}

/** Messages on a uri (all statuses, or one; a status this server does not know counts 0). */
export async function countMessages(baseUrl, token, uri, status) {
  try {
    const { json } = await api(baseUrl, 'POST', '/api/messages/resubmit', { token, body: { uri, ...(status && { status }), dryRun: true } });
    return json.matching;
  } catch (err) {
    if (status && /answered 400\b.*"status"/.test(err.message)) return 0;
    throw err;
  }
}

export async function countUnfinished(baseUrl, token, uri) {
  let total = 0;
  for (const status of UNFINISHED) total += await countMessages(baseUrl, token, uri, status);
  return total;
}

/**
 * Waits until nothing on the uri is queued or processing (seen twice in a row, so a message
 * between states is not missed). Resolves with the time it saw that, or null at the timeout.
 */
export async function waitForDrain(baseUrl, token, uri, timeoutSeconds) {
  const deadline = Date.now() + timeoutSeconds * 1000;
  let empty = 0;
  while (Date.now() < deadline) {
    const pending = (await countMessages(baseUrl, token, uri, 'queued')) + (await countMessages(baseUrl, token, uri, 'processing'));
    if (pending === 0) {
      if (++empty >= 2) return Date.now();
    } else {
      empty = 0;
    }
    await sleep(200);
  }
  return null;
}
