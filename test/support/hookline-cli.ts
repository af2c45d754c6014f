import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './test-database';
import type { TestServer } from './test-server';

const BIN = join(ROOT, 'bin', 'hookline.js');

export interface HooklineResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout as JSON (the CLI writes JSON when stdout is not a terminal). */
  json: any;
}

/**
 * Runs `hookline` as a user would (bin/hookline.js, the package's bin), against `server` with
 * its token unless `env` says otherwise; `input` is written to its stdin.
 */
export async function hookline(server: TestServer | undefined, args: string[], env: Record<string, string | undefined> = {}, input?: string): Promise<HooklineResult> {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...(server ? { HOOKLINE_URL: server.url, HOOKLINE_TOKEN: server.token } : {}),
      ...env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(input ?? '');
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch {
    json = undefined;
  }
  return { code, stdout, stderr, json };
}
