import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CliError } from './cli-error';

/** A sample delivery: its body and the headers (other than signatures) its sender sends. */
export interface Fixture {
  name: string;
  body: Buffer;
  contentType: string;
  headers: Record<string, string>;
}

/** Where a scheme's samples come from unless the name says `family/name`. */
const FAMILY_OF: Record<string, string | undefined> = {
  none: 'generic',
  bearer: 'generic',
  basic: 'generic',
  github: 'github',
  'github-sha1': 'github',
  'gitlab-token': 'gitlab',
  'gitlab-signing': 'gitlab',
  bitbucket: 'bitbucket',
  'azure-devops': 'azure-devops',
  slack: 'slack',
  stripe: 'stripe',
  svix: 'svix',
  'standard-webhooks': 'svix',
  'generic-hmac': 'generic-hmac',
  'custom-hmac': 'generic-hmac',
};

/** The event header each sample's sender sends, where its family has one. */
const EVENT_HEADERS: Record<string, Record<string, Record<string, string>>> = {
  gitlab: {
    push: { 'x-gitlab-event': 'Push Hook' },
    'tag-push': { 'x-gitlab-event': 'Tag Push Hook' },
    'merge-request': { 'x-gitlab-event': 'Merge Request Hook' },
    'note-merge-request': { 'x-gitlab-event': 'Note Hook' },
    issue: { 'x-gitlab-event': 'Issue Hook' },
    pipeline: { 'x-gitlab-event': 'Pipeline Hook' },
  },
  bitbucket: {
    'repo-push': { 'x-event-key': 'repo:push' },
    'pullrequest-approved': { 'x-event-key': 'pullrequest:approved' },
    'pullrequest-fulfilled': { 'x-event-key': 'pullrequest:fulfilled' },
    'dc-pr-merged': { 'x-event-key': 'pr:merged' },
    'dc-repo-refs-changed': { 'x-event-key': 'repo:refs_changed' },
  },
};

/** The directory holding package.json: the repository, or the installed package. */
export function packageRoot(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'test', 'fixtures'))) return dir;
    if (dirname(dir) === dir) throw new CliError('the sample payloads (test/fixtures) are not installed here; send your own with --body <file>');
  }
}

/** Every sample name a scheme can send, `family/name` for those outside its own family. */
export function listFixtures(scheme: string): string[] {
  const root = packageRoot();
  const own = FAMILY_OF[scheme] ?? 'generic';
  const names: string[] = [];
  // Each sender's samples are a directory; a file beside them is not a sender.
  const families = readdirSync(join(root, 'test', 'fixtures'), { withFileTypes: true }).filter((entry) => entry.isDirectory());
  for (const family of families.map((entry) => entry.name).sort()) {
    const dir = join(root, 'test', 'fixtures', family);
    for (const file of readdirSync(dir).sort()) {
      const match = /^(.+)\.(json|txt)$/.exec(file);
      if (!match || file === 'vectors.json') continue;
      names.push(family === own ? match[1] : `${family}/${match[1]}`);
    }
  }
  const github = githubExamples();
  if (github) for (const event of github) names.push(own === 'github' ? event.name : `github/${event.name}`);
  return names;
}

/**
 * A sample by name: `push` in the scheme's own family (GitHub's come from
 * @octokit/webhooks-examples, `pull_request.opened` picks an action), or `family/name`.
 */
export function loadFixture(scheme: string, name: string): Fixture {
  const [family, sample] = name.includes('/') ? (name.split('/', 2) as [string, string]) : [FAMILY_OF[scheme] ?? 'generic', name];
  if (family === 'github') return githubFixture(sample);
  const dir = join(packageRoot(), 'test', 'fixtures', family);
  for (const [extension, contentType] of [
    ['json', 'application/json'],
    ['txt', 'application/x-www-form-urlencoded'],
  ] as const) {
    const file = join(dir, `${sample}.${extension}`);
    if (existsSync(file) && /^[a-z0-9-]+$/.test(family) && /^[a-z0-9_.-]+$/.test(sample)) {
      return { name, body: readFileSync(file), contentType, headers: { ...(EVENT_HEADERS[family]?.[sample] ?? {}), ...deliveryHeader(family) } };
    }
  }
  throw new CliError(`no sample payload "${name}" for ${scheme}; hookline send ${scheme} --list shows them, or send your own with --body <file>`);
}

function deliveryHeader(family: string): Record<string, string> {
  if (family === 'bitbucket') return { 'x-request-uuid': `{${randomUUID()}}` };
  if (family === 'gitlab') return { 'x-gitlab-event-uuid': randomUUID() };
  return {};
}

interface GithubEvent {
  name: string;
  examples: Array<Record<string, unknown>>;
}

function githubExamples(): GithubEvent[] | undefined {
  try {
    return JSON.parse(readFileSync(require.resolve('@octokit/webhooks-examples/api.github.com/index.json'), 'utf8')) as GithubEvent[];
  } catch {
    return undefined;
  }
}

function githubFixture(sample: string): Fixture {
  const events = githubExamples();
  if (!events) throw new CliError('GitHub sample payloads need @octokit/webhooks-examples (npm install in the repository); or send your own with --body <file>');
  const [eventName, action] = sample.split('.', 2);
  const event = events.find((candidate) => candidate.name === eventName);
  const example = event?.examples.find((candidate) => action === undefined || candidate.action === action);
  if (!example) {
    throw new CliError(`no GitHub sample "${sample}"; use an event name such as push or pull_request.opened (hookline send github --list)`);
  }
  return {
    name: `github/${sample}`,
    body: Buffer.from(JSON.stringify(example)),
    contentType: 'application/json',
    headers: { 'x-github-event': eventName, 'x-github-delivery': randomUUID() },
  };
}
