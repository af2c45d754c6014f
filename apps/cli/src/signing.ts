import { createHmac, randomUUID } from 'node:crypto';
import { BUILTIN_SCHEMES, readCustomHmacSettings } from '../../../libs/providers/src';
import { CliError } from './cli-error';

/** Every scheme `hookline send` signs for: each one the server verifies. */
export const SIGNING_SCHEMES: readonly string[] = BUILTIN_SCHEMES.map((scheme) => scheme.name);

export interface SignInput {
  scheme: string;
  secret: string;
  body: Buffer;
  /** Unix seconds. */
  timestamp: number;
  /** The scheme's options as the provider has them (`custom-hmac`'s header and format, `basic`'s username). */
  options: Record<string, string>;
  /** A message id for the schemes that sign one; a fresh one otherwise. */
  id?: string;
}

/**
 * The headers a sender using `scheme` sends with `body`, computed as the sender does (the
 * senders' own libraries are the reference the tests hold these to). Event headers are not
 * signing headers and are added by the caller.
 */
export function signingHeaders(input: SignInput): Record<string, string> {
  const { secret, body, timestamp, options } = input;
  switch (input.scheme) {
    case 'none':
      return {};
    case 'bearer':
      return { authorization: `Bearer ${secret}` };
    case 'basic':
      return { authorization: basic(options.username === undefined ? secret : `${options.username}:${secret}`) };
    case 'azure-devops':
      if (options.headerName) return { [options.headerName.toLowerCase()]: secret };
      return { authorization: basic(`${options.username ?? 'hookline'}:${secret}`) };
    case 'gitlab-token':
      return { 'x-gitlab-token': secret };
    case 'github':
      return { 'x-hub-signature-256': `sha256=${hexHmac('sha256', secret, body)}` };
    case 'github-sha1':
      return { 'x-hub-signature': `sha1=${hexHmac('sha1', secret, body)}` };
    case 'bitbucket':
      return { 'x-hub-signature': `sha256=${hexHmac('sha256', secret, body)}` };
    case 'generic-hmac':
      return { 'x-signature-256': `sha256=${hexHmac('sha256', secret, body)}` };
    case 'slack':
      return { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': `v0=${hexHmac('sha256', secret, `v0:${timestamp}:`, body)}` };
    case 'stripe':
      return { 'stripe-signature': `t=${timestamp},v1=${hexHmac('sha256', secret, `${timestamp}.`, body)}` };
    case 'svix': {
      const signed = standardWebhooks(secret, input.id ?? `msg_${randomUUID().replaceAll('-', '')}`, timestamp, body);
      return { 'svix-id': signed.id, 'svix-timestamp': String(timestamp), 'svix-signature': signed.signature };
    }
    case 'standard-webhooks':
    case 'gitlab-signing': {
      // GitLab's webhook-id is the delivery's idempotency key, a UUID.
      const id = input.id ?? (input.scheme === 'gitlab-signing' ? randomUUID() : `msg_${randomUUID().replaceAll('-', '')}`);
      const signed = standardWebhooks(secret, id, timestamp, body);
      return { 'webhook-id': signed.id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signed.signature };
    }
    case 'custom-hmac':
      return customHmac(input);
    default:
      throw new CliError(`no signer for the scheme "${input.scheme}"; the schemes are ${SIGNING_SCHEMES.join(', ')}`);
  }
}

/** `v1,<base64>` of `<id>.<timestamp>.<body>`, keyed with the base64 after `whsec_`. */
function standardWebhooks(secret: string, id: string, timestamp: number, body: Buffer): { id: string; signature: string } {
  const encoded = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) throw new CliError('--secret must be a whsec_<base64> signing secret for this scheme');
  const key = Buffer.from(encoded, 'base64');
  const digest = createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest('base64');
  return { id, signature: `v1,${digest}` };
}

function customHmac({ secret, body, timestamp, options }: SignInput): Record<string, string> {
  const settings = readCustomHmacSettings(options);
  if (!settings.ok) throw new CliError(`custom-hmac needs the provider's options (--option header=X-Signature, ...): ${settings.reason}`);
  const { algorithm, header, format, signedContent } = settings.value;
  const mac = createHmac(algorithm, secret);
  for (const part of signedContent) mac.update(part === 'body' ? body : part === 'timestamp' ? String(timestamp) : part.text);
  const digest = mac.digest(format.encoding);
  const headers: Record<string, string> = { [header.name]: `${format.prefix}${digest}` };
  if (settings.value.timestamp) headers[settings.value.timestamp.name] = String(timestamp);
  return headers;
}

function hexHmac(algorithm: 'sha1' | 'sha256', secret: string, ...parts: Array<string | Buffer>): string {
  const mac = createHmac(algorithm, secret);
  for (const part of parts) mac.update(part);
  return mac.digest('hex');
}

function basic(credentials: string): string {
  return `Basic ${Buffer.from(credentials).toString('base64')}`;
}
