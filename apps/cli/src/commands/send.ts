import { readFileSync } from 'node:fs';
import { keyValues, parseCommand, SERVER_OPTIONS } from '../args';
import { CliError } from '../cli-error';
import { type Fixture, listFixtures, loadFixture } from '../fixtures';
import { createOutput } from '../output';
import { clientFor, resolveServer } from '../server-client';
import { SIGNING_SCHEMES, signingHeaders } from '../signing';

/**
 * `hookline send <scheme> [sample] --secret S --uri U`: a webhook signed as that scheme's sender
 * signs it, sent to /webhooks/<uri> with no admin token, as a sender would.
 */
export async function sendCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommand('send', argv, {
    ...SERVER_OPTIONS,
    secret: { type: 'string' },
    uri: { type: 'string' },
    body: { type: 'string' },
    'content-type': { type: 'string' },
    header: { type: 'string', multiple: true, short: 'H' },
    option: { type: 'string', multiple: true },
    method: { type: 'string' },
    sync: { type: 'boolean' },
    timestamp: { type: 'string' },
    id: { type: 'string' },
    list: { type: 'boolean' },
  });
  const scheme = positionals[0] ;
  if (!scheme || !(SIGNING_SCHEMES as readonly string[]).includes(scheme)) {
    throw new CliError(`name a scheme first: hookline send <scheme> [sample] --uri ...; the schemes are ${SIGNING_SCHEMES.join(', ')}`);
  }
  const out = createOutput(values.json === true);
  if (values.list) {
    out.write(listFixtures(scheme), () => listFixtures(scheme));
    return;
  }
  if (!values.uri) throw new CliError('--uri is required: where to send, e.g. --uri git/push for /webhooks/git/push');
  if (scheme !== 'none' && values.secret === undefined) throw new CliError(`--secret is required: the ${scheme} secret the provider verifies with`);
  if (positionals.length > 2) throw new CliError(`unexpected "${positionals[2]}"; send one sample at a time`);
  const fixture = readPayload(scheme, positionals[1], values.body, values['content-type']);
  const timestamp = values.timestamp === undefined ? Math.floor(Date.now() / 1000) : Number(values.timestamp);
  if (!Number.isSafeInteger(timestamp) || timestamp <= 0) throw new CliError(`--timestamp must be Unix seconds, not "${values.timestamp}"`);

  const headers: Record<string, string> = {
    'content-type': fixture.contentType,
    ...fixture.headers,
    ...signingHeaders({ scheme, secret: values.secret ?? '', body: fixture.body, timestamp, options: keyValues('option', values.option), ...(values.id ? { id: values.id } : {}) }),
    ...lowerCaseKeys(keyValues('header', values.header, ':')),
    ...(values.sync ? { 'flex-sync-webhook': 'true' } : {}),
  };
  const { url } = resolveServer(values.url);
  const uri = values.uri.replace(/^\/+/, '');
  const response = await clientFor(url, undefined).fetch(`/webhooks/${uri}`, { method: values.method ?? 'POST', headers, body: fixture.body });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // The answer is whatever a function chose to respond; keep it as text.
  }
  const messageId = response.headers.get('x-hookline-message-id');
  out.write({ status: response.status, messageId, sample: fixture.name, body }, () => [`${response.status} ${fixture.name} → /webhooks/${uri}${messageId ? ` (message ${messageId})` : ''}`, text]);
  if (response.status >= 400) {
    const reason = typeof body === 'object' && body !== null && typeof (body as { message?: unknown }).message === 'string' ? (body as { message: string }).message : `HTTP ${response.status}`;
    throw new CliError(response.status === 401 ? `the server refused the delivery: ${reason}; check --secret and the provider's scheme` : `the server answered ${response.status}: ${reason}`);
  }
}

function readPayload(scheme: string, sample: string | undefined, bodyFile: string | undefined, contentType: string | undefined): Fixture {
  if (bodyFile !== undefined) {
    if (sample !== undefined) throw new CliError('give a sample name or --body, not both');
    let body: Buffer;
    try {
      body = bodyFile === '-' ? readFileSync(0) : readFileSync(bodyFile);
    } catch (error) {
      throw new CliError(`--body ${bodyFile} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    return { name: bodyFile, body, contentType: contentType ?? 'application/json', headers: {} };
  }
  if (sample === undefined) throw new CliError(`name a sample payload (hookline send ${scheme} --list) or give --body <file>`);
  const fixture = loadFixture(scheme, sample);
  return contentType ? { ...fixture, contentType } : fixture;
}

function lowerCaseKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key.toLowerCase(), value]));
}
