// What fuzz.mjs and soak.mjs share: seeding a started server, sending one case over a raw
// socket to 127.0.0.1, and reading a process's resident memory.
import { connect } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { api, sleep } from './lib.mjs';
import { REPO } from './hookline-server.mjs';

export const ADMIN_PASSWORD = 'fuzz-admin-password';
export const MAX_BODY = 1024 * 1024;
const CASE_TIMEOUT_MS = 30_000;

/**
 * Writes the case's steps to a fresh connection to 127.0.0.1 and reads until the server closes.
 * Resolves { status, messageId, error, bytes }: status null when no status line came back.
 */
export function sendCase(port, testCase) {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const chunks = [];
    let error = null;
    let settled = false;
    let timer = null;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const raw = Buffer.concat(chunks);
      const head = raw.subarray(0, Math.max(0, raw.indexOf('\r\n\r\n'))).toString('latin1');
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(raw.subarray(0, 16).toString('latin1'))?.[1];
      const messageId = /\r\nx-hookline-message-id: *([^\r\n]+)/i.exec(head)?.[1] ?? null;
      resolve({ status: status ? Number(status) : null, messageId, error, bytes: raw.length, body: raw.subarray(head.length + 4, head.length + 4 + 300).toString('utf8') });
    };
    timer = setTimeout(() => {
      error = error ?? `no end of answer within ${CASE_TIMEOUT_MS / 1000} s`;
      finish();
    }, CASE_TIMEOUT_MS);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', (err) => {
      error = error ?? err.code ?? err.message;
      finish();
    });
    socket.on('close', finish);
    socket.once('connect', async () => {
      for (const step of testCase.steps) {
        if (settled || chunks.length > 0) break; // the server answered early (413): stop sending
        if (Buffer.isBuffer(step)) {
          if (!socket.write(step)) await new Promise((r) => socket.once('drain', r).once('close', r));
        } else {
          await sleep(step.pauseMs);
        }
      }
      if (settled) return;
      if (testCase.end === 'half') socket.end();
      if (testCase.end === 'hold') {
        await sleep(testCase.holdMs);
        if (chunks.length === 0) finish();
      }
    });
  });
}

/**
 * Secrets on the built-in GitHub and Stripe providers, a function on each, and a secret-token
 * endpoint; returns the admin token and the context the case generators need.
 */
export async function prepare(base) {
  const { json: login } = await api(base, 'POST', '/api/auth/login', { body: { username: 'admin', password: ADMIN_PASSWORD } });
  const token = login.token;
  const { json: providers } = await api(base, 'GET', '/api/providers', { token });
  const list = providers.items ?? providers;
  const byScheme = (scheme) => list.find((p) => (p.verification?.scheme ?? p.verificationScheme) === scheme);
  const github = byScheme('github');
  const stripe = byScheme('stripe');
  if (!github || !stripe) throw new Error('the built-in GitHub and Stripe providers were not seeded');
  const ctx = { githubSecret: 'fuzz-github-secret', stripeSecret: 'whsec_fuzzstripesecret', githubUri: 'fuzz/github', maxBody: MAX_BODY, endpointToken: null };
  await api(base, 'PUT', `/api/providers/${github.id}`, { token, body: { verification: { scheme: 'github', secret: ctx.githubSecret } } });
  await api(base, 'PUT', `/api/providers/${stripe.id}`, { token, body: { verification: { scheme: 'stripe', secret: ctx.stripeSecret } } });
  // A function that reads the hostile request without ever throwing, so a 500 in sync mode is the server's.
  const script = 'const q = request.query || {}; const j = request.json; return { keys: Object.keys(q).length, kind: typeof j, event: String(request.headers["x-github-event"]) };';
  await api(base, 'POST', '/api/functions', { token, body: { name: 'fuzz-github', providerId: github.id, uri: ctx.githubUri, script } });
  await api(base, 'POST', '/api/functions', { token, body: { name: 'fuzz-stripe', providerId: stripe.id, uri: 'fuzz/stripe', script } });
  const { json: automation } = await api(base, 'POST', '/api/automations', { token, body: { name: 'fuzz-task', target: { kind: 'task', name: 'fuzz' } } });
  const { json: endpoint } = await api(base, 'POST', '/api/webhooks', { token, body: { name: 'fuzz-endpoint', automationIds: [automation.id] } });
  ctx.endpointToken = endpoint.token ?? /inbound\/([^/?#]+)/.exec(endpoint.url ?? '')?.[1] ?? null;
  return { token, ctx };
}

/** Resident memory in MB of a process and all its descendants (from /proc), or null once it is gone. */
export function rssMb(pid) {
  const kb = rssKb(pid);
  return kb === null ? null : Math.round(kb / 1024);
}

function rssKb(pid) {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    let total = match ? Number(match[1]) : 0;
    for (const child of childrenOf(pid)) total += rssKb(child) ?? 0;
    return total;
  } catch {
    return null;
  }
}

function childrenOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Node options and environment that load bench/memory-probe.cjs into the server. */
export function probeOptions(file, intervalSeconds) {
  return {
    nodeArgs: ['--expose-gc', '--require', join(REPO, 'bench', 'memory-probe.cjs')],
    env: { HOOKLINE_MEMORY_PROBE_FILE: file, HOOKLINE_MEMORY_PROBE_INTERVAL: String(intervalSeconds) },
  };
}

/** The probe's latest line: the server's own view of its memory right after a full GC. */
export function readProbe(file) {
  if (!existsSync(file)) return null;
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  try {
    return JSON.parse(lines[lines.length - 1]);
  } catch {
    return null;
  }
}
