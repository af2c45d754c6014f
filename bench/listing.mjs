// The bench's large-table phase, on PostgreSQL: seed N messages with SQL (bench/seed-messages.mjs),
// time GET /api/messages (first page, and a filtered page) one request at a time, then restart the
// server with a short retention interval and compare ingest p99 before and while the server's own
// retention job (apps/server/src/maintenance/retention.job.ts) deletes the old half.
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { api, percentile, sleep } from './lib.mjs';
import { seedMessages } from './seed-messages.mjs';
import { login, setUpBench } from './hookline-target.mjs';

const OLD_DAYS = 30;

async function timeRequests(baseUrl, path, token, count) {
  await api(baseUrl, 'GET', path, { token });
  const times = [];
  let items = 0;
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const { json } = await api(baseUrl, 'GET', path, { token });
    times.push(performance.now() - started);
    items = json.items.length;
  }
  times.sort((a, b) => a - b);
  return { path, requests: count, items, p50: percentile(times, 50), p99: percentile(times, 99), max: times[times.length - 1] };
}

async function oldCount(client) {
  const { rows } = await client.query(`SELECT count(*)::int AS n FROM messages WHERE received_at < now() - interval '${OLD_DAYS} days'`);
  return rows[0].n;
}

/**
 * ctx: {opts, log, startServer(env, reuse) -> server, pinBackends(server), measureIngest(server, token, uri, seconds, label) -> result}.
 * Returns {messages, seedSeconds, pages: [...], retention: {...}}.
 */
export async function runListing(ctx) {
  const { opts, log } = ctx;
  const uris = ['bench/retention'];
  let server = await ctx.startServer({});
  const result = { messages: opts.listingMessages, pages: [], retention: null };
  const client = new pg.Client({ connectionString: server.databaseUrl });
  await client.connect();
  try {
    let token = await login(server.url);
    const providerId = await setUpBench(server.url, token, uris);
    const providers = (await client.query('SELECT id, name FROM providers ORDER BY priority')).rows;
    log(`listing: seeding ${opts.listingMessages.toLocaleString('en-US')} messages with SQL (${providers.length} providers)`);
    result.seedSeconds = await seedMessages((sql) => client.query(sql), { count: opts.listingMessages, providers, oldShare: opts.retentionShare, oldDays: OLD_DAYS, log: (l) => log(`listing: ${l}`) });
    log(`listing: seeded in ${result.seedSeconds.toFixed(0)} s`);
    await ctx.pinBackends(server);
    const failedProvider = (await client.query(`SELECT provider_id FROM messages WHERE status = 'failed' AND provider_id IS NOT NULL GROUP BY provider_id ORDER BY count(*) DESC LIMIT 1`)).rows[0]?.provider_id ?? providerId;
    for (const [name, path] of [
      ['first page', '/api/messages?limit=50'],
      ['status=failed & provider', `/api/messages?limit=50&status=failed&providerId=${failedProvider}`],
      ['uri=git/push', '/api/messages?limit=50&uri=git%2Fpush'],
    ]) {
      const timing = await timeRequests(server.url, path, token, opts.listingRequests);
      result.pages.push({ name, ...timing });
      log(`listing: ${name}: p50 ${timing.p50.toFixed(1)} ms, p99 ${timing.p99.toFixed(1)} ms over ${timing.requests} requests (${timing.items} items)`);
    }
    if (opts.skipRetention) return result;

    // Retention runs on a timer from start-up; restart with an interval that falls after the "before" window.
    await server.stop({ keepDatabase: true });
    const intervalSeconds = opts.warmup + opts.retentionWindow + 20;
    server = await ctx.startServer({ HOOKLINE_RETENTION_DAYS: String(OLD_DAYS), HOOKLINE_RETENTION_INTERVAL: `${intervalSeconds}s` }, server.tempDb);
    const startedAt = Date.now();
    token = await login(server.url);
    const oldBefore = await oldCount(client);
    const before = await ctx.measureIngest(server, token, 'bench/retention', opts.retentionWindow, 'retention: ingest before');
    if (Date.now() - startedAt > intervalSeconds * 1000) log('retention: the "before" window ran into the retention run; raise --retention-window or lower the load');
    log(`retention: waiting for the server's retention run (interval ${intervalSeconds} s); ${oldBefore.toLocaleString('en-US')} messages are older than ${OLD_DAYS} days`);
    const deadline = startedAt + (intervalSeconds + 60) * 1000;
    let deleteStartedAt = null;
    while (Date.now() < deadline) {
      if ((await oldCount(client)) < oldBefore) {
        deleteStartedAt = Date.now();
        break;
      }
      await sleep(100);
    }
    const during = [];
    if (deleteStartedAt) {
      for (let i = 0; i < opts.retentionMaxWindows; i++) {
        const left = await oldCount(client);
        if (left === 0) break;
        during.push({ ...(await ctx.measureIngest(server, token, 'bench/retention', opts.retentionWindow, `retention: ingest during (window ${i + 1})`)), oldLeftAtStart: left });
      }
    }
    let deleteEndedAt = null;
    while (deleteStartedAt && Date.now() < deleteStartedAt + 600_000) {
      if ((await oldCount(client)) === 0) {
        deleteEndedAt = Date.now();
        break;
      }
      await sleep(250);
    }
    result.retention = {
      oldBefore,
      intervalSeconds,
      before,
      during,
      deleteSeconds: deleteStartedAt && deleteEndedAt ? (deleteEndedAt - deleteStartedAt) / 1000 : null,
      deleted: deleteStartedAt ? oldBefore - (await oldCount(client)) : 0,
    };
    return result;
  } finally {
    await client.end();
    await server.stop();
  }
}
