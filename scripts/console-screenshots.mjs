// Writes screenshots of the console's main pages to docs/screenshots/ (1280x800 PNGs) for the
// README and docs/console.md. Starts the built server on a fresh temporary PGlite data directory,
// seeds it through the admin API and real signed webhook deliveries, and drives Debian's Chromium
// with playwright-core. A page the console does not have yet is skipped with a note.
//
//   npm run screenshots            (builds first)
//   node --no-node-snapshot scripts/console-screenshots.mjs [--out <dir>] [--only <name,...>]
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { sign } from '@octokit/webhooks-methods';
import { chromium } from 'playwright-core';
import { createWorkspace, REPO, startHookline } from '../bench/hookline-server.mjs';
import { api, sleep } from '../bench/lib.mjs';

const require = createRequire(import.meta.url);
const GITHUB_EXAMPLES = require('@octokit/webhooks-examples/api.github.com/index.json');
const CHROMIUM = '/usr/bin/chromium';
const VIEWPORT = { width: 1280, height: 800 };
const PASSWORD = `screens-${randomUUID()}`;
const GITHUB_SECRET = `gh-${randomUUID()}`;

const args = process.argv.slice(2);
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const OUT = option('--out') ?? join(REPO, 'docs', 'screenshots');
const ONLY = option('--only')?.split(',');

const log = (line) => console.log(`[screenshots] ${line}`);

/** An example GitHub publishes for `event`: the one with `action`, or the first (or `index`th). */
function githubExample(event, action, index = 0) {
  const examples = GITHUB_EXAMPLES.find((entry) => entry.name === event)?.examples ?? [];
  const example = action ? examples.find((candidate) => candidate.action === action) : examples[index];
  if (!example) throw new Error(`@octokit/webhooks-examples has no ${event}${action ? `.${action}` : ''} example`);
  return example;
}

/** A git repository of documentation in `dir`, served to the server as a file:// remote, with commits made by `git` itself. */
function docsRepository(dir) {
  // None of this user's git configuration: the author is given on the command line.
  const env = { PATH: process.env.PATH ?? '', HOME: dir, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
  const author = ['-c', 'user.name=Monalisa Octocat', '-c', 'user.email=mona@example.com'];
  const git = (...args) => execFileSync('git', [...author, ...args], { cwd: dir, env, encoding: 'utf8' }).trim();
  mkdirSync(dir, { recursive: true });
  git('init', '--quiet', '--initial-branch=main');
  const commit = (files, message) => {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    git('add', '--all');
    git('commit', '--quiet', '-m', message);
    return git('rev-parse', 'HEAD');
  };
  return { url: `file://${dir}`, git, commit };
}

/**
 * A Git provider on a local repository and an automation polling it every second: its first
 * tick records the baseline, and a commit made after it is what Test Poll and, a minute later,
 * the scheduler's next poll find.
 */
async function seedPolling(call, root) {
  await call('POST', '/api/git-providers', { name: 'github-main', kind: 'github' });
  const repository = docsRepository(join(root, 'docs-site'));
  repository.commit({ 'docs/index.md': '# Docs\n', 'README.md': 'The documentation site\n' }, 'Start the documentation site');
  repository.git('branch', 'release/1.0');
  const remote = await call('POST', '/api/git-providers', { name: 'docs-remote', kind: 'git', remoteUrl: repository.url });
  const publish = await call('POST', '/api/automations', {
    name: 'publish-docs',
    description: 'Publishes the documentation site when docs/ changes',
    schedule: '* * * * * *',
    target: { kind: 'command', argv: ['echo', 'publishing {{scmPoll.branch}} at {{scmPoll.newSha}}'] },
    scmPoll: { providerName: 'docs-remote', repo: 'docs-site', branches: ['main', 'release/*'], paths: ['docs/**'] },
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    const state = await call('GET', `/api/automations/${publish.id}/scm-state`);
    if (state.branches?.some((branch) => branch.branch === 'main' && branch.lastSha)) break;
    if (Date.now() > deadline) throw new Error(`no baseline for publish-docs: ${JSON.stringify(state)}`);
    await sleep(300);
  }
  repository.commit({ 'docs/guide/polling.md': '# Polling a Git host\n', 'README.md': 'The documentation site, now with a guide\n' }, 'Add the polling guide\n\nExplains scmPoll and Test Poll.');
  return { remote, publish };
}

/** Seeds what the pages show; everything through the admin API and real deliveries. */
async function seed(url, root) {
  const { json: session } = await api(url, 'POST', '/api/auth/login', { body: { username: 'admin', password: PASSWORD } });
  const call = async (method, path, body) => (await api(url, method, path, { token: session.token, body })).json;

  const providers = await call('GET', '/api/providers');
  const github = providers.find((provider) => provider.builtin === 'github');
  if (!github) throw new Error('the built-in GitHub provider is missing');
  await call('PUT', `/api/providers/${github.id}`, { verification: { secret: GITHUB_SECRET } });

  const deploy = await call('POST', '/api/automations', {
    name: 'deploy-docs',
    description: 'Publishes the documentation site for a pushed branch',
    target: { kind: 'command', command: 'echo deploying {{vars.ref}} at {{vars.sha}}' },
  });
  await call('POST', '/api/automations', {
    name: 'nightly-report',
    schedule: '0 6 * * *',
    target: { kind: 'command', command: 'echo nightly report' },
  });
  const announce = await call('POST', '/api/functions', {
    name: 'announce pushes',
    providerId: github.id,
    uri: 'git/push',
    condition: 'eventType == "push"',
    automationIds: [deploy.id],
    script: [
      'const push = request.json;',
      'const commits = push.commits ?? [];',
      'log.info(`${push.pusher?.name} pushed ${commits.length} commit(s) to ${push.ref}`);',
      'const runId = await automations.trigger("deploy-docs", { ref: push.ref, sha: push.after });',
      'respond({ status: 202, body: { accepted: true, deploy: runId } });',
    ].join('\n'),
  });
  // A second save, so the function has a version to compare.
  await call('PUT', `/api/functions/${announce.id}`, {
    script: [
      '// Announce every push and publish the docs for it.',
      'const push = request.json;',
      'const commits = push.commits ?? [];',
      'log.info(`${push.pusher?.name} pushed ${commits.length} commit(s) to ${push.ref}`);',
      'if (push.deleted) return respond({ status: 204 });',
      'const runId = await automations.trigger("deploy-docs", { ref: push.ref, sha: push.after });',
      'respond({ status: 202, body: { accepted: true, deploy: runId } });',
    ].join('\n'),
  });
  const triage = await call('POST', '/api/functions', {
    name: 'triage issues',
    providerId: github.id,
    uri: 'git/push',
    condition: 'eventType == "issues"',
    script: [
      'const { action, issue } = request.json;',
      'log.info(`issue #${issue.number} ${action}: ${issue.title}`);',
      '// The tracker is not on HOOKLINE_SCRIPT_HTTP_ALLOW, so this fails the message.',
      'await http.fetch("https://tracker.example.com/api/issues", { method: "POST", body: JSON.stringify(issue) });',
    ].join('\n'),
  });

  const deliveries = [
    ['push', githubExample('push')],
    ['issues', githubExample('issues', 'opened')],
    ['pull_request', githubExample('pull_request', 'opened')],
    ['push', githubExample('push', undefined, 1)],
  ];
  for (const [event, example] of deliveries) {
    const body = JSON.stringify(example);
    const response = await fetch(`${url}/webhooks/git/push`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'GitHub-Hookshot/5a1c2f3',
        'x-github-event': event,
        'x-github-delivery': randomUUID(),
        'x-hub-signature-256': await sign(GITHUB_SECRET, body),
      },
      body,
    });
    await response.arrayBuffer();
    log(`delivered ${event}: ${response.status}`);
  }
  // A sender with a wrong signature, and one no provider takes.
  await fetch(`${url}/webhooks/git/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-hub-signature-256': await sign('not-the-secret', '{}') },
    body: JSON.stringify(githubExample('push')),
  }).then((response) => response.arrayBuffer());
  await fetch(`${url}/webhooks/shop/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"order":"A-1001","total":42.5}' }).then((r) => r.arrayBuffer());

  const endpoint = await call('POST', '/api/webhooks', { name: 'deploy hook', automationIds: [deploy.id] });
  await fetch(endpoint.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ref: 'refs/heads/main', sha: '9049f1265b7d61be4a8904a9a27120d2064dab3b' }) }).then((r) => r.arrayBuffer());
  await call('POST', `/api/automations/${deploy.id}/run`, { vars: { ref: 'refs/heads/release', sha: 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e' } });

  // Wait for the queue to settle: every message out of queued/processing.
  const deadline = Date.now() + 30_000;
  let messages = [];
  for (;;) {
    const page = await call('GET', '/api/messages?limit=50');
    messages = page.items ?? page.messages ?? page;
    if (!messages.some((message) => ['queued', 'processing', 'received'].includes(message.status)) || Date.now() > deadline) break;
    await sleep(300);
  }
  log(`messages: ${messages.map((message) => message.status).join(', ')}`);
  const processed = messages.find((message) => message.status === 'processed' && message.eventType === 'push') ?? messages.find((m) => m.status === 'processed') ?? messages[0];
  const polling = await seedPolling(call, root).catch((error) => log(`no polling to show: ${error.message}`));
  return { github, deploy, announce, triage, processed, polling, call };
}

/** Logs in through the login page and lands on `path`. */
async function logIn(page, url, path) {
  await page.goto(url + path);
  await page.getByLabel('User').fill('admin');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

/** Thrown by a shot whose page is not in the console yet: the shot is skipped, not failed. */
class NotThereYet extends Error {}

async function present(locator, timeout = 5_000) {
  try {
    await locator.first().waitFor({ timeout });
    return true;
  } catch {
    return false;
  }
}

/** Opens `path` and fails with NotThereYet when the console shows its placeholder or not-found page. */
async function openPage(page, url, path) {
  await page.goto(url + path);
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
  await page.locator('main h1, main h2').first().waitFor();
  await sleep(300);
  if (await page.getByText('This page is coming').count()) throw new NotThereYet(`${path} is still a placeholder`);
  if (/Not found/.test(await page.title())) throw new NotThereYet(`${path} is not a page yet`);
}

async function editorIn(page, kind) {
  const host = page.locator(`hl-code-editor[kind=${kind}]`);
  await host.locator('.monaco-editor .view-lines').waitFor({ timeout: 20_000 });
  return host;
}

const shots = {
  async providers(page, { url }) {
    await openPage(page, url, '/providers');
    await page.getByText('GitHub').first().waitFor();
  },

  async 'function-editor'(page, { url, seeded }) {
    await openPage(page, url, `/functions/${seeded.announce.id}`);
    const script = await editorIn(page, 'function');
    await script.locator('.view-lines').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');
    await page.keyboard.type('http.');
    const suggestions = page.locator('.suggest-widget .monaco-list-row');
    if (!(await present(suggestions, 3_000))) await page.keyboard.press('Control+Space');
    await suggestions.first().waitFor();
    // Show the documentation beside the list too.
    if (!(await present(page.locator('.suggest-details'), 500))) await page.keyboard.press('Control+Space');
    await sleep(600);
  },

  async messages(page, { url }) {
    await openPage(page, url, '/messages');
    await page.locator('tr[data-message-id]').first().waitFor();
    await page.getByText('Live', { exact: true }).waitFor();
    await sleep(300);
  },

  async 'message-trace'(page, { url, seeded }) {
    await openPage(page, url, `/messages/${seeded.processed.id}`);
    const trace = page.getByRole('heading', { name: 'Trace' });
    await trace.waitFor();
    await trace.evaluate((heading) => heading.scrollIntoView({ block: 'start' }));
    await sleep(300);
  },

  async preview(page, { url }) {
    await openPage(page, url, '/preview');
    const run = page.getByRole('button', { name: 'Preview', exact: true });
    if (!(await present(run))) throw new NotThereYet('the preview page has no Preview button');
    const reverse = page.getByRole('button', { name: 'Reverse the order' });
    if (await reverse.count()) await reverse.click();
    await run.click();
    await page.locator('section[aria-labelledby="pv-results"] tr, section[aria-labelledby="pv-results"] li').first().waitFor({ timeout: 20_000 });
    await page.locator('section[aria-labelledby="pv-results"]').evaluate((section) => section.scrollIntoView({ block: 'start' }));
    await sleep(300);
  },

  async 'version-diff'(page, { url, seeded }) {
    await openPage(page, url, `/functions/${seeded.announce.id}`);
    await editorIn(page, 'function');
    // Compare the oldest version with what the editor holds.
    const compare = page.getByRole('button', { name: /^Compare version/ });
    if (!(await present(compare, 5_000))) throw new NotThereYet('the function page lists no versions to compare');
    await compare.last().click();
    const diff = page.locator('.monaco-diff-editor');
    await diff.locator('.view-lines').first().waitFor({ timeout: 20_000 });
    await diff.evaluate((editor) => editor.scrollIntoView({ block: 'center' }));
    await sleep(800);
  },

  async overview(page, { url }) {
    await openPage(page, url, '/overview');
    await sleep(800);
  },

  async 'git-providers'(page, { url, seeded }) {
    if (!seeded.polling) throw new NotThereYet('SCM polling is not in the server yet');
    await openPage(page, url, `/git-providers/${seeded.polling.remote.id}`);
    await page.getByRole('button', { name: 'Check credentials' }).click();
    await page.getByText('The credentials work').waitFor();
    await page.getByRole('heading', { name: 'Check the credentials' }).evaluate((heading) => heading.scrollIntoView({ block: 'center' }));
    await sleep(300);
  },

  async 'scm-polling'(page, { url, seeded }) {
    if (!seeded.polling) throw new NotThereYet('SCM polling is not in the server yet');
    await openPage(page, url, `/automations/${seeded.polling.publish.id}`);
    await page.getByRole('button', { name: 'Test poll' }).click();
    await page.locator('.test-poll-table tr[data-branch="main"]').waitFor();
    await page.getByRole('heading', { name: 'Only run if the branch changed' }).evaluate((heading) => heading.scrollIntoView({ block: 'start' }));
    await page.evaluate(() => window.scrollBy(0, 330));
    await sleep(300);
  },

  async 'scm-history'(page, { url, seeded }) {
    if (!seeded.polling) throw new NotThereYet('SCM polling is not in the server yet');
    const { publish } = seeded.polling;
    // The scheduler polls main again a minute after the baseline, finds the commit and runs.
    const deadline = Date.now() + 120_000;
    let runs = [];
    while (!runs.some((run) => run.trigger === 'scm-poll') && Date.now() < deadline) {
      await sleep(1000);
      runs = await seeded.call('GET', `/api/automations/${publish.id}/runs`);
    }
    const polled = runs.find((run) => run.trigger === 'scm-poll');
    if (!polled) throw new Error('no poll-triggered run of publish-docs within two minutes');
    await openPage(page, url, `/automations/${publish.id}`);
    const run = page.locator(`.run[data-run-id="${polled.id}"]`);
    await run.locator('summary').click();
    await run.getByTestId('run-commit').waitFor();
    await page.getByRole('heading', { name: 'Branch polling' }).evaluate((heading) => heading.scrollIntoView({ block: 'start' }));
    await sleep(300);
  },

  async automations(page, { url, seeded }) {
    await openPage(page, url, `/automations/${seeded.deploy.id}`);
    await page.getByRole('heading', { name: 'deploy-docs' }).waitFor();
    await page.locator('.run').first().waitFor();
    await page.locator('.run').first().evaluate((run) => run.scrollIntoView({ block: 'center' }));
    await sleep(300);
  },
};

async function main() {
  mkdirSync(OUT, { recursive: true });
  const workspace = createWorkspace('screenshots', log);
  let browser;
  const written = [];
  const skipped = [];
  try {
    const server = await startHookline({
      workspace,
      database: 'pglite',
      adminPassword: PASSWORD,
      env: { HOOKLINE_QUEUE_POLL: '200ms', HOOKLINE_RETRY_DELAY: '200ms', HOOKLINE_RETRY_MAX_DELAY: '1s', HOOKLINE_LOG_LEVEL: 'warn' },
      log,
    });
    log(`server on ${server.url} (PGlite in ${workspace.root})`);
    const seeded = await seed(server.url, workspace.root);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    const context = await browser.newContext({ viewport: VIEWPORT, colorScheme: 'light' });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await logIn(page, server.url, '/providers');
    for (const [name, shoot] of Object.entries(shots)) {
      if (ONLY && !ONLY.includes(name)) continue;
      const file = join(OUT, `${name}.png`);
      try {
        await shoot(page, { url: server.url, seeded });
        await page.mouse.move(0, 0);
        await page.screenshot({ path: file, type: 'png' });
        written.push(`${name}.png (${Math.round(statSync(file).size / 1024)} KB)`);
        log(`wrote ${file}`);
      } catch (error) {
        const why = error instanceof NotThereYet ? error.message : `failed: ${error.message.split('\n')[0]}`;
        skipped.push(`${name}: ${why}`);
        log(`skipped ${name}: ${why}`);
      }
    }
    await server.stop();
  } finally {
    await browser?.close();
    await workspace.cleanup();
  }
  log(`written: ${written.join(', ') || 'none'}`);
  if (skipped.length) log(`skipped (the page is not in the console yet, or see the reason):\n  ${skipped.join('\n  ')}`);
  if (!written.length) process.exitCode = 1;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
