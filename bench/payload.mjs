// A realistic webhook body: shaped like a GitHub "push" event (about 5 KB of JSON).
// Deterministic, so every run sends the same bytes.

const owner = {
  name: 'hookline-bench',
  email: 'bench@example.com',
  login: 'hookline-bench',
  id: 90210,
  node_id: 'MDQ6VXNlcjkwMjEw',
  avatar_url: 'https://avatars.example.com/u/90210?v=4',
  gravatar_id: '',
  url: 'https://api.github.example/users/hookline-bench',
  html_url: 'https://github.example/hookline-bench',
  type: 'User',
  site_admin: false,
};

function sha(seed) {
  let out = '';
  let x = seed * 2654435761;
  while (out.length < 40) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out += x.toString(16);
  }
  return out.slice(0, 40);
}

function commit(i) {
  const id = sha(i + 1);
  return {
    id,
    tree_id: sha(i + 101),
    distinct: true,
    message: `Fix retry handling in the delivery queue (#${1200 + i})\n\nThe lease was renewed after the attempt counter was bumped, so a crash in between\ncounted twice. Renew first, then count.`,
    timestamp: `2026-01-15T10:${String(10 + i).padStart(2, '0')}:00+01:00`,
    url: `https://github.example/hookline-bench/webhook-demo/commit/${id}`,
    author: { name: 'Dana Developer', email: 'dana@example.com', username: 'dana-dev' },
    committer: { name: 'GitHub', email: 'noreply@github.example', username: 'web-flow' },
    added: [`src/queue/retry-${i}.ts`],
    removed: [],
    modified: ['src/queue/worker.ts', 'src/queue/lease.ts', 'test/queue/worker.spec.ts', 'CHANGELOG.md'],
  };
}

export function githubPushPayload() {
  const commits = [0, 1, 2].map(commit);
  return {
    ref: 'refs/heads/main',
    before: sha(999),
    after: commits[commits.length - 1].id,
    repository: {
      id: 123456789,
      node_id: 'R_kgDOHookLine',
      name: 'webhook-demo',
      full_name: 'hookline-bench/webhook-demo',
      private: false,
      owner,
      html_url: 'https://github.example/hookline-bench/webhook-demo',
      description: 'A repository that sends push webhooks to Hookline',
      fork: false,
      url: 'https://github.example/hookline-bench/webhook-demo',
      created_at: 1700000000,
      updated_at: '2026-01-15T09:00:00Z',
      pushed_at: 1768467600,
      git_url: 'git://github.example/hookline-bench/webhook-demo.git',
      ssh_url: 'git@github.example:hookline-bench/webhook-demo.git',
      clone_url: 'https://github.example/hookline-bench/webhook-demo.git',
      homepage: null,
      size: 2048,
      stargazers_count: 42,
      watchers_count: 42,
      language: 'TypeScript',
      has_issues: true,
      has_projects: false,
      has_downloads: true,
      has_wiki: false,
      has_pages: false,
      forks_count: 3,
      archived: false,
      disabled: false,
      open_issues_count: 7,
      license: { key: 'mit', name: 'MIT License', spdx_id: 'MIT' },
      topics: ['webhooks', 'automation', 'typescript'],
      visibility: 'public',
      forks: 3,
      open_issues: 7,
      watchers: 42,
      default_branch: 'main',
      master_branch: 'main',
    },
    pusher: { name: 'dana-dev', email: 'dana@example.com' },
    sender: { ...owner, login: 'dana-dev', id: 31337, type: 'User' },
    created: false,
    deleted: false,
    forced: false,
    base_ref: null,
    compare: `https://github.example/hookline-bench/webhook-demo/compare/${sha(999).slice(0, 12)}...${commits[2].id.slice(0, 12)}`,
    commits,
    head_commit: commits[commits.length - 1],
  };
}

export const payloadBody = JSON.stringify(githubPushPayload());
