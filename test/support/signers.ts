import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const SIGN_SCRIPT = join(__dirname, 'sign.mjs');

/**
 * The signing headers a real sender would send for `scheme` (e.g. `{ 'x-hub-signature-256': 'sha256=...' }`),
 * produced by the sender's official library where one exists (see sign.mjs). Synchronous because
 * the ESM-only libraries run in a child Node process. `timestamp` (Unix seconds) defaults to now;
 * `id` to a fresh message id for schemes that sign one. Event headers are the caller's to add.
 */
export function signDelivery(scheme: string, input: SignInput): Record<string, string> {
  return runSigner(scheme, signRequest(scheme, input)) as Record<string, string>;
}

/** `signDelivery` for many deliveries in one child process: the signing headers of each, in order. */
export function signDeliveries(scheme: string, inputs: SignInput[]): Array<Record<string, string>> {
  return runSigner(scheme, inputs.map((input) => signRequest(scheme, input))) as Array<Record<string, string>>;
}

interface SignInput {
  secret: string;
  body: string | Buffer;
  timestamp?: number;
  id?: string;
}

function signRequest(scheme: string, input: SignInput) {
  return {
    scheme,
    secret: input.secret,
    ...(typeof input.body === 'string' ? { body: input.body } : { bodyBase64: input.body.toString('base64') }),
    timestamp: input.timestamp,
    id: input.id,
  };
}

function runSigner(scheme: string, request: unknown): unknown {
  try {
    const stdout = execFileSync(process.execPath, [SIGN_SCRIPT], { input: JSON.stringify(request), encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
    return JSON.parse(stdout);
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`signDelivery(${scheme}) failed: ${stderr || (error as Error).message}`);
  }
}
