// Hostile request generators for fuzz.mjs. Each case is plain data: the exact bytes to write
// (as steps, so slow senders can pause), what the run accepts as an answer, and where it went.
// A case depends only on (seed, index), so any failure can be replayed alone.
import { createHmac } from 'node:crypto';

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
export function rngFor(seed, index) {
  let a = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca77)) >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  return { next, int, pick: (list) => list[int(list.length)], chance: (p) => next() < p };
}

const CRLF = '\r\n';
export const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__'];
const NASTY_TEXT = ['\u0000', 'a\u0000b', '\ud800', '\udfff', '\ufffd', '\u202e', '\uffff', 'é', '😀', '\u0001\u001f', '%00', '%ff', '${{}}', '{{x}}', '"', '\\'];
// Bytes that are not UTF-8: a lone continuation byte, an overlong NUL, a truncated sequence, a surrogate.
const INVALID_UTF8 = [Buffer.from([0x80]), Buffer.from([0xc0, 0x80]), Buffer.from([0xe2, 0x82]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xff, 0xfe]), Buffer.from([0x00])];
const PCT_NASTY = ['%00', '%ff', '%c0%80', '%ed%a0%80', '%e2%82', '%80', '%25', '%', '%zz', '%u0000'];

function nastyString(rng) {
  let text = '';
  for (let i = rng.int(4) + 1; i > 0; i--) text += rng.chance(0.5) ? rng.pick(NASTY_TEXT) : rng.pick(['x', 'push', 'ref', '1']);
  return text;
}

function nastyKey(rng) {
  return rng.chance(0.6) ? rng.pick(PROTO_KEYS) : nastyString(rng);
}

/** A JSON value full of NULs, lone surrogates and prototype-named keys. */
function nastyJsonValue(rng, depth = 0) {
  const kind = depth > 3 ? rng.int(3) : rng.int(6);
  if (kind === 0) return nastyString(rng);
  if (kind === 1) return rng.pick([0, -1, 1e308, -0, 9007199254740993, true, false, null]);
  if (kind === 2) return rng.pick(PROTO_KEYS);
  if (kind === 3) return Array.from({ length: rng.int(4) }, () => nastyJsonValue(rng, depth + 1));
  const object = {};
  for (let i = rng.int(5) + 1; i > 0; i--) Object.defineProperty(object, nastyKey(rng), { value: nastyJsonValue(rng, depth + 1), enumerable: true, configurable: true, writable: true });
  return object;
}

/** JSON text; JSON.stringify writes lone surrogates as \ud800 escapes, which is what we want here. */
function nastyJson(rng) {
  const value = nastyJsonValue(rng);
  const text = JSON.stringify(typeof value === 'object' && value !== null ? value : { value });
  if (!rng.chance(0.3)) return Buffer.from(text, 'utf8');
  // Raw invalid UTF-8 inside a string literal.
  const at = text.indexOf('"') + 1;
  return Buffer.concat([Buffer.from(text.slice(0, at)), rng.pick(INVALID_UTF8), Buffer.from(text.slice(at))]);
}

function nastyForm(rng) {
  const pairs = [];
  for (let i = rng.int(6) + 1; i > 0; i--) {
    const key = rng.pick([...PROTO_KEYS, `a[${rng.pick(PROTO_KEYS)}]`, `${rng.pick(PROTO_KEYS)}[polluted]`, rng.pick(PCT_NASTY), 'x']);
    pairs.push(`${key}=${rng.pick(PCT_NASTY)}${rng.chance(0.5) ? rng.pick(PCT_NASTY) : 'v'}`);
  }
  return Buffer.from(pairs.join('&'), 'latin1');
}

function nastyQuery(rng) {
  if (rng.chance(0.3)) return '';
  const pairs = [];
  for (let i = rng.int(5) + 1; i > 0; i--) {
    const key = rng.pick([...PROTO_KEYS, `${rng.pick(PROTO_KEYS)}[x]`, `a[${rng.pick(PROTO_KEYS)}]`, ...PCT_NASTY, 'projectId']);
    pairs.push(rng.chance(0.1) ? key : `${key}=${rng.chance(0.5) ? rng.pick(PCT_NASTY) : 'v'}`);
  }
  return `?${pairs.join('&')}`;
}

/** A webhook path: plain, percent-encoded nasties, or raw bytes the request line tolerates. */
function nastyPath(rng, base = '/webhooks/') {
  const segments = [];
  for (let i = rng.int(3) + 1; i > 0; i--) segments.push(rng.pick(['fuzz', 'git', 'push', ...PCT_NASTY, rng.pick(PROTO_KEYS), '..', '.', '', 'a%2Fb', 'x'.repeat(rng.int(3) * 300)]));
  return base + segments.join('/');
}

function header(name, value) {
  return Buffer.concat([Buffer.from(`${name}: `, 'latin1'), Buffer.isBuffer(value) ? value : Buffer.from(String(value), 'latin1'), Buffer.from(CRLF)]);
}

/** A complete, well-formed request (Connection: close, so the answer ends with the connection). */
export function request(method, path, headers = {}, body = null) {
  const parts = [Buffer.from(`${method} ${path} HTTP/1.1${CRLF}`, 'latin1'), header('host', '127.0.0.1'), header('connection', 'close')];
  for (const [name, value] of Array.isArray(headers) ? headers : Object.entries(headers)) parts.push(header(name, value));
  if (body !== null) parts.push(header('content-length', body.length));
  parts.push(Buffer.from(CRLF));
  if (body !== null) parts.push(body);
  return Buffer.concat(parts);
}

function githubSignature(secret, body) {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

function stripeSignature(secret, body, timestamp) {
  const mac = createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
  return `t=${timestamp},v1=${mac}`;
}

const ODD_METHODS = ['PROPFIND', 'MKCOL', 'SEARCH', 'PURGE', 'OPTIONS', 'HEAD', 'TRACE', 'CONNECT', 'post', 'get', 'FROB', 'X-CUSTOM', 'PATCH', 'DELETE', 'PUT', 'GET'];
// Routes that exist: without a session they must answer 401.
const ADMIN_ROUTES = [['GET', '/api/messages'], ['GET', '/api/providers'], ['POST', '/api/providers'], ['GET', '/api/functions'], ['POST', '/api/functions'], ['GET', '/api/automations'], ['POST', '/api/webhooks'], ['POST', '/api/messages/resubmit'], ['PUT', '/api/providers/order'], ['GET', '/api/messages/00000000-0000-0000-0000-000000000000'], ['GET', '/api/providers/%00'], ['DELETE', '/api/webhooks/__proto__']];
// Routes that do not: 404 (or 400 for a path that does not decode), never 5xx.
const UNKNOWN_ADMIN_PATHS = ['/api/__proto__', '/api/webhooks/%ff', '/api/constructor/prototype', '/api/%00'];

/**
 * The case kinds with their weights. Each returns
 * { kind, method, path, steps: [Buffer | {pauseMs}], wellFormed, expect?: number[], end?: 'half'|'hold', holdMs? }.
 *  - wellFormed: the request is valid HTTP, so it must get an answer (no reset, no silent close).
 *  - expect: the only statuses that pass; otherwise anything below 500 passes.
 *  - end: after the last step, 'half' closes our side (FIN) and waits; 'hold' keeps the socket open holdMs, then drops it.
 */
export const CASES = [
  [12, 'github-signed', (rng, ctx) => {
    const body = rng.chance(0.5) ? nastyJson(rng) : Buffer.from(JSON.stringify({ ref: 'refs/heads/main', commits: [{ id: nastyString(rng) }], [rng.pick(PROTO_KEYS)]: { polluted: true } }));
    const sync = rng.chance(0.4);
    const headers = { 'content-type': 'application/json', 'x-github-event': rng.pick(['push', 'ping', 'issues', Buffer.from([0x70, 0xff, 0xe9])]), 'x-github-delivery': `${ctx.seed}-${ctx.index}`, 'x-hub-signature-256': githubSignature(ctx.githubSecret, body) };
    if (sync) headers['flex-sync-webhook'] = 'true';
    const path = `/webhooks/${ctx.githubUri}${nastyQuery(rng)}`;
    return { method: 'POST', path, steps: [request('POST', path, headers, body)], wellFormed: true, expect: sync ? [200, 202] : [202], stored: true };
  }],
  [5, 'github-bad-signature', (rng, ctx) => {
    const body = nastyJson(rng);
    const signature = rng.pick([githubSignature('wrong-secret', body), 'sha256=', 'sha1=00', `sha256=${'0'.repeat(64)}`, 'sha256=%00', '']);
    const headers = { 'content-type': 'application/json', 'x-github-event': 'push', 'x-hub-signature-256': signature, ...(rng.chance(0.5) ? { 'flex-sync-webhook': 'true' } : {}) };
    const path = `/webhooks/${ctx.githubUri}`;
    return { method: 'POST', path, steps: [request('POST', path, headers, body)], wellFormed: true, expect: [401], stored: true };
  }],
  [5, 'stripe', (rng, ctx) => {
    const body = rng.chance(0.5) ? nastyJson(rng) : Buffer.from(JSON.stringify({ id: `evt_${ctx.index}`, type: 'charge.succeeded', data: { object: {} } }));
    const now = Math.floor(Date.now() / 1000);
    const skew = rng.pick([0, 0, -30, 600, -600, 10 ** 10, -now]);
    const good = rng.chance(0.6);
    const signature = good ? stripeSignature(ctx.stripeSecret, body, now + skew) : rng.pick([`t=${now},v1=00`, 't=,v1=', `t=abc,v1=${'a'.repeat(64)}`, 'garbage', `t=${now}`]);
    const path = `/webhooks/fuzz/stripe${nastyQuery(rng)}`;
    const headers = { 'content-type': 'application/json', 'stripe-signature': signature, ...(rng.chance(0.3) ? { 'flex-sync-webhook': 'true' } : {}) };
    return { method: 'POST', path, steps: [request('POST', path, headers, body)], wellFormed: true, stored: true };
  }],
  [10, 'json-body', (rng) => {
    const path = nastyPath(rng) + nastyQuery(rng);
    const headers = { 'content-type': rng.pick(['application/json', 'application/json; charset=utf-8', 'application/vnd.x+json', 'application/json; charset=latin1']) };
    if (rng.chance(0.2)) headers['flex-sync-webhook'] = rng.pick(['true', 'TRUE', 'false', '1', '\u00ff']);
    return { method: 'POST', path, steps: [request('POST', path, headers, nastyJson(rng))], wellFormed: true, stored: true };
  }],
  [8, 'form-body', (rng) => {
    const path = nastyPath(rng) + nastyQuery(rng);
    return { method: 'POST', path, steps: [request('POST', path, { 'content-type': 'application/x-www-form-urlencoded' }, nastyForm(rng))], wellFormed: true, stored: true };
  }],
  [8, 'path-and-query', (rng) => {
    // Raw bytes >= 0x80 in the request target; llhttp allows them, percent-decoding then sees invalid UTF-8.
    const raw = rng.chance(0.3) ? Buffer.from([0xc3, 0x28, 0xa0, 0xa1]).toString('latin1') : '';
    const path = nastyPath(rng) + raw + nastyQuery(rng);
    const method = rng.pick(['GET', 'POST', 'DELETE']);
    return { method, path, steps: [request(method, path, {}, method === 'POST' ? Buffer.from('{}') : null)], wellFormed: true, stored: true };
  }],
  [8, 'headers', (rng) => {
    const headers = [['content-type', 'application/json']];
    for (let i = rng.int(6) + 1; i > 0; i--) {
      const name = rng.pick([...PROTO_KEYS, 'x-github-event', 'x-custom', 'authorization', 'x-gitlab-token', 'flex-sync-webhook', 'cookie']);
      const value = rng.chance(0.5) ? Buffer.concat([Buffer.from('v'), rng.pick(INVALID_UTF8.filter((b) => !b.includes(0)))]) : rng.pick(['%00', '\u00ff\u00fe', 'x'.repeat(4000), '', ' spaced ', 'a\tb']);
      headers.push([name, value]);
    }
    const path = nastyPath(rng);
    return { method: 'POST', path, steps: [request('POST', path, headers, Buffer.from('{"a":1}'))], wellFormed: true, stored: true };
  }],
  [3, 'deep-json', (rng) => {
    const depth = rng.pick([1_000, 10_000, 100_000]);
    const [open, close] = rng.pick([['[', ']'], ['{"a":', '}']]);
    const body = Buffer.from(open.repeat(depth) + '1' + close.repeat(depth));
    const path = '/webhooks/fuzz/deep';
    const headers = { 'content-type': 'application/json', ...(rng.chance(0.3) ? { 'flex-sync-webhook': 'true' } : {}) };
    return { method: 'POST', path, steps: [request('POST', path, headers, body)], wellFormed: true, stored: true };
  }],
  // The server may close the connection on a body past the limit without reading it, so the
  // client can meet EPIPE before it reads the 413: not answering counts as a pass, any other status fails.
  [2, 'oversized', (rng, ctx) => {
    const size = ctx.maxBody + 1 + rng.int(ctx.maxBody / 2);
    const path = '/webhooks/fuzz/big';
    if (rng.chance(0.5)) {
      const head = Buffer.from(`POST ${path} HTTP/1.1${CRLF}host: 127.0.0.1${CRLF}connection: close${CRLF}content-type: application/json${CRLF}content-length: ${size}${CRLF}${CRLF}`);
      return { method: 'POST', path, steps: [head, { pauseMs: 50 }, Buffer.alloc(size, 0x20)], wellFormed: false, expect: [413] };
    }
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const steps = [Buffer.from(`POST ${path} HTTP/1.1${CRLF}host: 127.0.0.1${CRLF}connection: close${CRLF}transfer-encoding: chunked${CRLF}${CRLF}`)];
    for (let sent = 0; sent < size; sent += chunk.length) steps.push(Buffer.concat([Buffer.from(`${chunk.length.toString(16)}${CRLF}`), chunk, Buffer.from(CRLF)]));
    steps.push(Buffer.from(`0${CRLF}${CRLF}`));
    return { method: 'POST', path, steps, wellFormed: false, expect: [413] };
  }],
  [6, 'odd-method', (rng) => {
    const method = rng.pick(ODD_METHODS);
    const path = nastyPath(rng) + nastyQuery(rng);
    const body = rng.chance(0.5) && method !== 'HEAD' && method !== 'CONNECT' ? Buffer.from('<?xml version="1.0"?><propfind/>') : null;
    // llhttp refuses methods it does not know (and lower case) with 400; that is an answer, not a reset.
    // CONNECT with a path is not valid HTTP (it takes host:port), and Node drops it.
    return { method, path, steps: [request(method, path, { 'content-type': 'application/xml' }, body)], wellFormed: method !== 'CONNECT', stored: !['FROB', 'X-CUSTOM', 'post', 'get', 'CONNECT'].includes(method) };
  }],
  [8, 'broken-framing', (rng) => {
    const path = '/webhooks/fuzz/framing';
    const start = `POST ${path} HTTP/1.1${CRLF}host: 127.0.0.1${CRLF}connection: close${CRLF}`;
    const variant = rng.int(11);
    const steps = [
      () => [`${start}transfer-encoding: chunked${CRLF}${CRLF}zz${CRLF}hello${CRLF}0${CRLF}${CRLF}`],
      () => [`${start}content-length: 5${CRLF}content-length: 7${CRLF}${CRLF}hello!!`],
      () => [`${start}content-length: 5${CRLF}transfer-encoding: chunked${CRLF}${CRLF}5${CRLF}hello${CRLF}0${CRLF}${CRLF}`],
      () => [`${start}content-length: -1${CRLF}${CRLF}`],
      () => [`${start}content-length: 1e3${CRLF}${CRLF}x`],
      () => [`${start}content-length: 100${CRLF}${CRLF}only part of it`],
      () => [`${start}transfer-encoding: chunked${CRLF}${CRLF}a${CRLF}0123`],
      () => [`POST ${path} HTTP/1.1\nhost: 127.0.0.1\ncontent-length: 2\n\n{}`],
      () => [`${start}bad header line${CRLF}${CRLF}`],
      () => [`${start}x-nul\u0000name: 1${CRLF}content-length: 0${CRLF}${CRLF}`],
      () => [`GARBAGE\u0000\u00ff${CRLF}${CRLF}`],
    ][variant]();
    return { method: 'POST', path, variant, steps: steps.map((s) => Buffer.from(s, 'latin1')), wellFormed: false, end: 'half' };
  }],
  [4, 'slow-sender', (rng, ctx) => {
    const path = `/webhooks/${ctx.githubUri}`;
    const body = Buffer.from(JSON.stringify({ ref: 'refs/heads/slow', commits: [] }));
    const full = request('POST', path, { 'content-type': 'application/json', 'x-github-event': 'push', 'x-hub-signature-256': githubSignature(ctx.githubSecret, body) }, body);
    const mode = rng.pick(['complete', 'stall-headers', 'stall-body']);
    const stop = mode === 'complete' ? full.length : mode === 'stall-headers' ? rng.int(full.indexOf('\r\n\r\n')) : full.indexOf('\r\n\r\n') + 4 + rng.int(body.length);
    const steps = [];
    const piece = 8 + rng.int(24);
    for (let at = 0; at < stop; at += piece) steps.push(full.subarray(at, Math.min(stop, at + piece)), { pauseMs: 20 + rng.int(60) });
    // A sender that stalls: keep the connection open a while, then drop it, as a slowloris would.
    return mode === 'complete'
      ? { method: 'POST', path, mode, steps, wellFormed: true, expect: [202], stored: true }
      : { method: 'POST', path, mode, steps, wellFormed: false, end: 'hold', holdMs: 500 + rng.int(1500) };
  }],
  [5, 'admin-unauthenticated', (rng) => {
    const known = rng.chance(0.8);
    const [method, route] = known ? rng.pick(ADMIN_ROUTES) : [rng.pick(['GET', 'POST', 'PUT', 'DELETE']), rng.pick(UNKNOWN_ADMIN_PATHS)];
    const path = route + nastyQuery(rng);
    const auth = rng.pick([{}, { authorization: 'Bearer nope' }, { authorization: 'Basic YWRtaW46YWRtaW4=' }, { authorization: 'Bearer \u00ff' }, { cookie: 'hookline_session=__proto__' }]);
    const body = method === 'GET' || method === 'DELETE' ? null : Buffer.from(JSON.stringify({ [rng.pick(PROTO_KEYS)]: { isAdmin: true } }));
    return { method, path, steps: [request(method, path, { 'content-type': 'application/json', ...auth }, body)], wellFormed: true, expect: known ? [401] : [400, 404] };
  }],
  [5, 'inbound-endpoint', (rng, ctx) => {
    const known = ctx.endpointToken && rng.chance(0.6);
    const path = `/api/webhooks/inbound/${known ? ctx.endpointToken : rng.pick(['nope', '%00', '__proto__', 'x'.repeat(500), '%ff%fe'])}${nastyQuery(rng)}`;
    const contentType = rng.pick(['application/json', 'application/x-www-form-urlencoded', 'text/plain']);
    const body = contentType === 'application/json' ? nastyJson(rng) : nastyForm(rng);
    return { method: 'POST', path, steps: [request('POST', path, { 'content-type': contentType }, body)], wellFormed: true, expect: known ? undefined : [400, 404, 414], stored: known };
  }],
];

/**
 * The case at `index` for `seed`; the same pair always gives the same bytes (but for timestamps
 * and signatures over them). `weights` (kind -> weight) replaces the default mix.
 */
export function makeCase(seed, index, ctx, weights = null) {
  const cases = weights ? CASES.filter(([, kind]) => weights[kind]).map(([, kind, build]) => [weights[kind], kind, build]) : CASES;
  const total = cases.reduce((sum, [weight]) => sum + weight, 0);
  const rng = rngFor(seed, index);
  let roll = rng.int(total);
  for (const [weight, kind, build] of cases) {
    if (roll < weight) return { kind, index, ...build(rng, { ...ctx, seed, index }) };
    roll -= weight;
  }
  throw new Error('unreachable');
}
