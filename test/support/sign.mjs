// Signs a test delivery the way the real sender does, with the sender's official library where
// one exists. ESM because @octokit/webhooks-methods and svix ship only ESM, which Jest here cannot
// load; tests call it through signers.ts.
//
//   stdin:  {"scheme", "secret", "body" (UTF-8 text) | "bodyBase64", "timestamp"? (Unix seconds), "id"?}
//   stdout: the signing headers, lower-case names, e.g. {"x-hub-signature-256":"sha256=..."}
//   or, for many deliveries at once, an array of those requests in and an array of headers out.
//
// Event and delivery headers (X-GitHub-Event, ...) are the caller's business.
import { Buffer } from 'node:buffer';
import { createHmac, randomUUID } from 'node:crypto';
import process from 'node:process';

const signers = {
  // @octokit/webhooks-methods: the library GitHub's own docs point to.
  github: async ({ secret, text }) => ({ 'x-hub-signature-256': await octokitSign(secret, text()) }),
  // SHA-1 was removed from @octokit/webhooks-methods in v5; nothing official signs it any more.
  'github-sha1': ({ secret, bytes }) => ({ 'x-hub-signature': `sha1=${hexHmac('sha1', secret, bytes)}` }),
  // Bitbucket and Jira compute GitHub's sha256=<hex> but send it under X-Hub-Signature.
  bitbucket: async ({ secret, text }) => ({ 'x-hub-signature': await octokitSign(secret, text()) }),
  jira: async ({ secret, text }) => ({ 'x-hub-signature': await octokitSign(secret, text()) }),
  svix: async ({ secret, text, timestamp, id }) => {
    const { Webhook } = await import('svix');
    const msgId = id ?? `msg_${randomUUID().replaceAll('-', '')}`;
    const signature = new Webhook(secret).sign(msgId, new Date(timestamp * 1000), text());
    return { 'svix-id': msgId, 'svix-timestamp': String(timestamp), 'svix-signature': signature };
  },
  'standard-webhooks': (request) => standardWebhooks(request, () => `msg_${randomUUID().replaceAll('-', '')}`),
  // GitLab's webhook-id is the delivery's Idempotency-Key, a UUID.
  'gitlab-signing': (request) => standardWebhooks(request, () => randomUUID()),
  stripe: async ({ secret, text, timestamp }) => {
    const { default: Stripe } = await import('stripe');
    return { 'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload: text(), secret, timestamp }) };
  },
  // Slack publishes no signing helper; the algorithm is pinned by the docs' vector (SL-1).
  slack: ({ secret, bytes, timestamp }) => ({
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': `v0=${hexHmac('sha256', secret, Buffer.from(`v0:${timestamp}:`), bytes)}`,
  }),
  'generic-hmac': ({ secret, bytes }) => ({ 'x-signature-256': `sha256=${hexHmac('sha256', secret, bytes)}` }),
  // Token schemes sign nothing; these are the headers the senders are configured to send.
  'gitlab-token': ({ secret }) => ({ 'x-gitlab-token': secret }),
  bearer: ({ secret }) => ({ authorization: `Bearer ${secret}` }),
  basic: ({ secret }) => ({ authorization: `Basic ${Buffer.from(secret).toString('base64')}` }),
  // The secret is the password; the user name is whatever the subscription says.
  'azure-devops': ({ secret }) => ({ authorization: `Basic ${Buffer.from(`azure-devops:${secret}`).toString('base64')}` }),
  none: () => ({}),
};

async function standardWebhooks({ secret, text, timestamp, id }, newId) {
  const { Webhook } = await import('standardwebhooks');
  const msgId = id ?? newId();
  const signature = new Webhook(secret).sign(msgId, new Date(timestamp * 1000), text());
  return { 'webhook-id': msgId, 'webhook-timestamp': String(timestamp), 'webhook-signature': signature };
}

async function octokitSign(secret, payload) {
  const { sign } = await import('@octokit/webhooks-methods');
  return sign(secret, payload);
}

function hexHmac(algorithm, secret, ...parts) {
  const mac = createHmac(algorithm, secret);
  for (const part of parts) mac.update(part);
  return mac.digest('hex');
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

async function sign(request) {
  const signer = signers[request.scheme];
  if (!signer) throw new Error(`no signer for scheme "${request.scheme}"; known: ${Object.keys(signers).join(', ')}`);
  if (typeof request.secret !== 'string') throw new Error('"secret" must be a string');
  const bytes = typeof request.bodyBase64 === 'string' ? Buffer.from(request.bodyBase64, 'base64') : Buffer.from(request.body ?? '', 'utf8');
  const timestamp = request.timestamp ?? Math.floor(Date.now() / 1000);
  if (!Number.isSafeInteger(timestamp) || timestamp <= 0) throw new Error('"timestamp" must be Unix seconds');
  // The official libraries take the body as a JS string; bytes that are not UTF-8 would be
  // mangled on the way in and signed wrongly, so refuse rather than hand back a bad signature.
  const text = () => {
    const decoded = bytes.toString('utf8');
    if (!Buffer.from(decoded, 'utf8').equals(bytes)) throw new Error(`the ${request.scheme} signer takes text: the body is not valid UTF-8`);
    return decoded;
  };
  return signer({ secret: request.secret, bytes, text, timestamp, id: request.id });
}

async function main() {
  const request = JSON.parse(await readStdin());
  const headers = Array.isArray(request) ? await Promise.all(request.map(sign)) : await sign(request);
  process.stdout.write(JSON.stringify(headers));
}

main().catch((error) => {
  process.stderr.write(`sign.mjs: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
