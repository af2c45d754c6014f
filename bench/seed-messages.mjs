#!/usr/bin/env node
// Stores many messages straight into a migrated Hookline database with SQL (INSERT … SELECT FROM
// generate_series), not through HTTP: 1,000,000 take a few minutes on PostgreSQL instead of hours.
//   node bench/seed-messages.mjs --url postgres://postgres@127.0.0.1:5432/hookline --messages 1000000
// The run-bench listing phase imports seedMessages() and uses the same SQL.
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { readOptions } from './lib.mjs';
import { assertLoopback } from './hookline-server.mjs';

const BATCH = 20_000;

/**
 * The spread: statuses weighted like a working installation (mostly processed, some failed,
 * rejected and unmatched), the given providers in turn (a fifth of the rows without one, as
 * unmatched requests have), eight uris, event types that fit the provider, bodies of 0.4 to 3 KB
 * of JSON, a delivery id per row. Received times: the first `oldShare` of the rows spread over
 * `oldDays` to 2 × `oldDays` days ago, the rest over the last 0.99 × `oldDays` days (a margin of
 * hours before they turn old), so retention with HOOKLINE_RETENTION_DAYS = oldDays removes exactly
 * the old ones.
 */
export function seedSql({ from, to, count, providers, oldShare, oldDays }) {
  const providerRows = providers.length
    ? providers.map((p, i) => `(${i}, '${p.id}'::uuid, ${literal(p.name)})`).join(', ')
    : `(0, NULL::uuid, NULL::text)`;
  const oldCount = Math.floor(count * oldShare);
  return `INSERT INTO messages (id, received_at, method, uri, path, query, headers, body, content_type, status, status_reason,
                        provider_id, provider_name, event_type, delivery_id, http_status, triggered_by, trace, finished_at)
    SELECT gen_random_uuid(), t.at, 'POST', u.uri, '/webhooks/' || u.uri, '{}',
           json_build_object('content-type', 'application/json', 'user-agent', 'GitHub-Hookshot/seed', 'x-github-event', e.event_type)::jsonb,
           convert_to(json_build_object('id', i, 'ref', 'refs/heads/' || (ARRAY['main','master','develop','release'])[1 + i % 4],
                                        'message', 'Commit number ' || i,
                                        'author', json_build_object('name', 'Dev ' || (i % 97), 'email', 'dev' || (i % 97) || '@example.com'),
                                        'files', json_build_array(md5(i::text), md5((i + 1)::text)),
                                        'notes', repeat(md5((i * 7)::text), 10 + (i % 71)))::text, 'UTF8'),
           'application/json', s.status,
           CASE s.status WHEN 'failed' THEN 'function bench threw: Error: upstream answered 502'
                         WHEN 'unauthorized' THEN 'signature does not match'
                         WHEN 'no_provider' THEN 'no provider claimed the request' END,
           CASE WHEN s.status = 'no_provider' THEN NULL ELSE p.provider_id END,
           CASE WHEN s.status = 'no_provider' THEN NULL ELSE p.provider_name END,
           e.event_type, 'seed-' || i, CASE s.status WHEN 'unauthorized' THEN 401 WHEN 'no_provider' THEN 404 ELSE 202 END,
           'webhook', '{"providers":[],"functions":[]}', t.at + interval '40 milliseconds'
      FROM generate_series(${from}, ${to}) i
      CROSS JOIN LATERAL (SELECT CASE WHEN i <= ${oldCount}
               THEN now() - interval '${oldDays} days' - (${oldDays} * 86400.0 * i / GREATEST(${oldCount}, 1)) * interval '1 second'
               ELSE now() - (${oldDays} * 86400.0 * 0.99 * (${count} - i) / GREATEST(${count - oldCount}, 1)) * interval '1 second' END AS at) t
      CROSS JOIN LATERAL (SELECT (ARRAY['processed','processed','processed','processed','processed','processed','processed','processed','processed','processed',
                                        'processed','processed','failed','failed','no_function','no_provider','no_provider','unauthorized','duplicate','dead'])[1 + (i * 7) % 20] AS status) s
      CROSS JOIN LATERAL (SELECT (ARRAY['git/push','git/tag','ci/builds','billing/stripe','slack/events','jira/issues','deploy/prod','bench/async'])[1 + (i * 3) % 8] AS uri) u
      CROSS JOIN LATERAL (SELECT (ARRAY['push','push','pull_request','issues','workflow_run','release'])[1 + i % 6] AS event_type) e
      LEFT JOIN (VALUES ${providerRows}) AS p(n, provider_id, provider_name) ON p.n = i % ${Math.max(providers.length, 1)}`;
}

function literal(text) {
  return `'${String(text).replace(/'/g, "''")}'`;
}

/** Inserts `count` messages in batches through `query(sql)`, then ANALYZE; returns seconds taken. */
export async function seedMessages(query, { count, providers = [], oldShare = 0.5, oldDays = 30, log = () => {} }) {
  const started = performance.now();
  for (let from = 1; from <= count; from += BATCH) {
    const to = Math.min(count, from + BATCH - 1);
    await query(seedSql({ from, to, count, providers, oldShare, oldDays }));
    if (to % 200_000 < BATCH || to === count) log(`seeded ${to.toLocaleString('en-US')} of ${count.toLocaleString('en-US')} messages`);
  }
  await query('ANALYZE messages');
  return (performance.now() - started) / 1000;
}

async function main() {
  const opts = readOptions(process.argv.slice(2), { url: '', messages: 1_000_000, oldShare: 0.5, oldDays: 30 }, {
    names: { url: 'url', messages: 'messages', 'old-share': 'oldShare', 'old-days': 'oldDays' },
    help: `Usage: node bench/seed-messages.mjs --url <postgres url> [options]
  --url <url>          a migrated Hookline database on this machine (npm run migrate first)
  --messages <n>       messages to add (default 1000000)
  --old-share <0..1>   share of them older than --old-days (default 0.5)
  --old-days <n>       age that counts as old (default 30, HOOKLINE_RETENTION_DAYS's default)`,
  });
  if (!opts.url) throw new Error('--url is required: the PostgreSQL database to fill (see --help)');
  assertLoopback(opts.url, '--url');
  if (!Number.isInteger(opts.messages) || opts.messages < 1) throw new Error('--messages must be a whole number of 1 or more');
  if (!(opts.oldShare >= 0 && opts.oldShare <= 1)) throw new Error('--old-share must be between 0 and 1');
  const client = new pg.Client({ connectionString: opts.url });
  await client.connect();
  try {
    const providers = (await client.query('SELECT id, name FROM providers ORDER BY priority')).rows;
    const seconds = await seedMessages((sql) => client.query(sql), { count: opts.messages, providers, oldShare: opts.oldShare, oldDays: opts.oldDays, log: console.error });
    console.error(`stored ${opts.messages} messages in ${seconds.toFixed(1)} s`);
  } finally {
    await client.end();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    await main();
  } catch (err) {
    console.error(err.message);
    process.exitCode = 1;
  }
}
