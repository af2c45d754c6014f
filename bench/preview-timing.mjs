#!/usr/bin/env node
// How long POST /api/preview takes over stored messages. After a build:
//   node --no-node-snapshot bench/preview-timing.mjs [--db pglite|postgres] [--messages 1000]
//
// Starts Hookline with the built-in providers, gives GitHub a secret and two functions with
// conditions, stores signed GitHub pushes and unsigned generic posts (half each), then times
// previews of 200 and of all the messages: the saved configuration, the provider order
// reversed, and a draft GitHub match script. Prints a markdown table.
import { createHmac, randomUUID } from 'node:crypto';
import { api, readOptions, sleep } from './lib.mjs';
import { createWorkspace, DEFAULT_PG_URL, startHookline } from './hookline-server.mjs';
import { payloadBody } from './payload.mjs';

const ADMIN_PASSWORD = 'bench-admin-password';
const SECRET = 'bench-github-secret';

const opts = { db: 'pglite', messages: 1000, pgUrl: DEFAULT_PG_URL };
readOptions(process.argv.slice(2), opts, {
  names: { db: 'db', messages: 'messages', 'pg-url': 'pgUrl' },
  help: `Usage: node --no-node-snapshot bench/preview-timing.mjs [--db pglite|postgres] [--messages 1000] [--pg-url <url>]`,
});
opts.messages = Number(opts.messages);

const log = (...args) => console.error('[preview]', ...args);
const workspace = createWorkspace('preview', log);
try {
  const server = await startHookline({ workspace, database: opts.db, pgUrl: opts.pgUrl, adminPassword: ADMIN_PASSWORD, log });
  const call = (method, path, body) => api(server.url, method, path, { token, body });
  let token = '';
  token = (await call('POST', '/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD })).json.token;
  const providers = (await call('GET', '/api/providers')).json;
  const github = providers.find((p) => p.builtin === 'github');
  await call('PUT', `/api/providers/${github.id}`, { verification: { secret: SECRET } });
  await call('POST', '/api/functions', { name: 'main pushes', providerId: github.id, uri: 'git/push', condition: "event.key == 'push' && event.branch == 'main'", script: 'return 1' });
  await call('POST', '/api/functions', { name: 'all pushes', providerId: github.id, uri: 'git/push', condition: "eventType == 'push'", script: 'return 2' });

  log(`storing ${opts.messages} messages`);
  const body = payloadBody;
  for (let n = 0; n < opts.messages; n++) {
    const isGithub = n % 2 === 0;
    const headers = { 'content-type': 'application/json' };
    if (isGithub) {
      Object.assign(headers, {
        'x-github-event': 'push',
        'x-github-delivery': randomUUID(),
        'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
      });
    }
    await api(server.url, 'POST', `/webhooks/${isGithub ? 'git/push' : 'generic/hook'}`, { body, headers });
  }
  for (;;) {
    const pending = (await call('GET', '/api/messages?status=queued&limit=1')).json.items.length + (await call('GET', '/api/messages?status=processing&limit=1')).json.items.length;
    if (pending === 0) break;
    await sleep(500);
  }

  const reversed = [...providers].reverse().map((p) => p.id);
  const cases = [
    ['saved configuration', {}],
    ['provider order reversed', { order: reversed }],
    ['draft GitHub match script', { providers: { [github.id]: { matchScript: 'return request.headers["x-github-event"] === "push" && request.json.ref === "refs/heads/main"' } } }],
  ];
  console.log(`| preview (${opts.db}, ${body.length} B bodies) | messages | changed | answered in (client) | durationMs (server) |`);
  console.log('| --- | ---: | ---: | ---: | ---: |');
  for (const limit of [200, opts.messages]) {
    for (const [name, draft] of cases) {
      const started = performance.now();
      const preview = (await call('POST', '/api/preview', { ...draft, limit })).json;
      const ms = Math.round(performance.now() - started);
      console.log(`| ${name} | ${preview.counts.messages} | ${preview.counts.changed} | ${ms} ms | ${preview.durationMs} ms |`);
    }
  }
} finally {
  await workspace.cleanup();
}
