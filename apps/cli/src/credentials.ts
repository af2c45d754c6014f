import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** What `hookline login` keeps: the server and the token it gave. */
export interface StoredLogin {
  url: string;
  token: string;
}

/** `$XDG_CONFIG_HOME/hookline/credentials.json`, or under `~/.config` without XDG_CONFIG_HOME. */
export function credentialsPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(homedir(), '.config');
  return join(base, 'hookline', 'credentials.json');
}

export function readLogin(env: NodeJS.ProcessEnv = process.env): StoredLogin | undefined {
  try {
    const stored = JSON.parse(readFileSync(credentialsPath(env), 'utf8')) as Partial<StoredLogin>;
    return typeof stored.url === 'string' && typeof stored.token === 'string' ? { url: stored.url, token: stored.token } : undefined;
  } catch {
    return undefined;
  }
}

/** Written with mode 0600 (the directory 0700): the token is as good as the password. */
export function writeLogin(login: StoredLogin, env: NodeJS.ProcessEnv = process.env): string {
  const path = credentialsPath(env);
  mkdirSync(join(path, '..'), { recursive: true, mode: 0o700 });
  writeFileSync(path, `${JSON.stringify(login, null, 2)}\n`, { mode: 0o600 });
  // A file that already existed keeps its mode through writeFileSync.
  chmodSync(path, 0o600);
  return path;
}

/** Removes the stored login; whether there was one. */
export function removeLogin(env: NodeJS.ProcessEnv = process.env): boolean {
  const path = credentialsPath(env);
  const existed = readLogin(env) !== undefined;
  rmSync(path, { force: true });
  return existed;
}
