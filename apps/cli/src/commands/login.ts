import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { parseCommand } from '../args';
import { CliError } from '../cli-error';
import { readLogin, removeLogin, writeLogin } from '../credentials';
import { clientFor, describeFailure, normaliseUrl, resolveServer } from '../server-client';

/**
 * `hookline login [--url U] [--username admin]`: asks for the password (or reads it from stdin
 * when that is not a terminal, or HOOKLINE_PASSWORD), logs in and keeps the token in a file only
 * the user can read. `--token T` keeps a token made elsewhere instead, once the server accepts it.
 */
export async function loginCommand(argv: string[]): Promise<void> {
  const { values } = parseCommand('login', argv, { url: { type: 'string' }, username: { type: 'string', short: 'u' }, token: { type: 'string' } });
  const url = values.url ? normaliseUrl(values.url) : resolveServer(undefined).url;
  let token = values.token;
  if (token === undefined) {
    const password = process.env.HOOKLINE_PASSWORD ?? (await readPassword(`Password for ${values.username ?? 'admin'} at ${url}: `));
    if (!password) throw new CliError('no password given: type it, pipe it on stdin, or set HOOKLINE_PASSWORD');
    const answer = await clientFor(url, undefined).request('POST', '/api/auth/login', { username: values.username ?? 'admin', password });
    if (answer.status === 401) throw new CliError(`wrong username or password for ${url}`);
    if (answer.status !== 200) throw new CliError(`POST /api/auth/login answered ${answer.status}: ${(answer.body as { message?: string })?.message ?? 'is --url a Hookline server?'}`);
    token = (answer.body as { token: string }).token;
  } else {
    const answer = await clientFor(url, token).request('GET', '/api/auth/me');
    if (answer.status === 401) throw new CliError(`${url} does not accept this token (invalid or expired)`);
    if (answer.status !== 200) throw new CliError(`GET /api/auth/me answered ${answer.status}: is --url a Hookline server?`);
  }
  const path = writeLogin({ url, token });
  process.stderr.write(`Logged in to ${url}; the token is in ${path}\n`);
}

/** `hookline logout`: ends the stored session on the server (when it answers) and removes the file. */
export async function logoutCommand(argv: string[]): Promise<void> {
  parseCommand('logout', argv, {});
  const stored = readLogin();
  if (stored) {
    try {
      await clientFor(stored.url, stored.token).request('POST', '/api/auth/logout', {});
    } catch (error) {
      // The server may be gone for good; forgetting the token here is what matters.
      process.stderr.write(`Could not end the session on ${stored.url}: ${describeFailure(error) ?? (error as Error).message}\n`);
    }
  }
  process.stderr.write(removeLogin() ? `Logged out of ${stored?.url ?? 'the server'}\n` : 'Not logged in\n');
}

async function readPassword(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  }
  process.stderr.write(prompt);
  // The typed characters are not echoed.
  const muted = new Writable({ write: (_chunk, _encoding, done) => done() });
  const reader = createInterface({ input: process.stdin, output: muted, terminal: true });
  const password = await new Promise<string>((resolve) => reader.question('', resolve));
  reader.close();
  process.stderr.write('\n');
  return password;
}
