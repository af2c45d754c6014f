import type { FunctionRunOutcome, LogEntry, ScriptError, ScriptKind, ScriptOutcome } from '../script-types';
import { scriptFilename } from './script-wrapper';

/** Largest return value kept in the trace and in the caller's answer, in bytes of JSON. */
export const RESULT_BYTE_LIMIT = 256 * 1024;

/** A run as the host saw it: the guest's raw result, or why there is none. */
export type Execution<T> = { ok: true; value: T } | { ok: false; error: ScriptError };

type GuestFailure = { ok: false; name: string; message: string; stack: string };

export function toBooleanOutcome(execution: Execution<unknown>, kind: ScriptKind, durationMs: number): ScriptOutcome<boolean> {
  if (!execution.ok) return { ok: false, error: execution.error, durationMs };
  const outcome = readGuestResult(execution.value, kind);
  if (!outcome.ok) return { ok: false, error: outcome.error, durationMs };
  return { ok: true, value: (execution.value as { value?: unknown }).value === true, durationMs };
}

export function toFunctionOutcome(
  execution: Execution<unknown>,
  logs: LogEntry[],
  durationMs: number,
): FunctionRunOutcome {
  if (!execution.ok) {
    const status = execution.error.kind === 'timeout' ? 'timed_out' : 'failed';
    return { status, error: execution.error, logs, durationMs };
  }
  const outcome = readGuestResult(execution.value, 'function');
  if (!outcome.ok) return { status: 'failed', error: outcome.error, logs, durationMs };
  // The prelude sends the return value as JSON text, or no text for `undefined`.
  const json = (execution.value as { json?: unknown }).json;
  if (typeof json !== 'string') return { status: 'succeeded', logs, durationMs };
  const size = Buffer.byteLength(json, 'utf8');
  if (size > RESULT_BYTE_LIMIT) return { status: 'succeeded', result: truncatedResult(json, size), logs, durationMs };
  try {
    return { status: 'succeeded', result: JSON.parse(json) as unknown, logs, durationMs };
  } catch {
    return { status: 'failed', error: { kind: 'error', message: 'the return value was not valid JSON' }, logs, durationMs };
  }
}

/**
 * The start of the JSON text and a note saying how large it was, as logs are cut. A cut JSON
 * text cannot be parsed, so the whole result becomes this one string.
 */
function truncatedResult(json: string, size: number): string {
  // A streaming decode leaves out a character cut in half at the end instead of mangling it.
  const kept = new TextDecoder().decode(Buffer.from(json, 'utf8').subarray(0, RESULT_BYTE_LIMIT), { stream: true });
  return `${kept}... [truncated: the return value is ${size} bytes of JSON; the first ${RESULT_BYTE_LIMIT} are kept]`;
}

/** Checks the shape the prelude returns; the guest is not trusted to have kept to it. */
function readGuestResult(value: unknown, kind: ScriptKind): { ok: true } | { ok: false; error: ScriptError } {
  if (typeof value !== 'object' || value === null || !('ok' in value)) {
    return { ok: false, error: { kind: 'error', message: 'the sandbox returned an unexpected result' } };
  }
  if (value.ok === true) return { ok: true };
  const failure = value as Partial<GuestFailure>;
  const name = typeof failure.name === 'string' ? failure.name : '';
  const message = typeof failure.message === 'string' ? failure.message : 'unknown error';
  const stack = typeof failure.stack === 'string' ? scriptStack(failure.stack, scriptFilename(kind)) : undefined;
  return {
    ok: false,
    error: { kind: 'error', message: name === '' ? message : `${name}: ${message}`, ...(stack ? { stack } : {}) },
  };
}

/**
 * Keeps the message and the frames in the admin's own script; frames of the runtime around it
 * mean nothing to the admin.
 */
function scriptStack(stack: string, filename: string): string | undefined {
  const lines = stack.split('\n');
  const kept = lines.filter((line) => !/^\s+at /.test(line) || line.includes(`${filename}:`));
  return kept.length > 0 ? kept.join('\n') : undefined;
}

export function timeoutError(timeoutMs: number): ScriptError {
  return { kind: 'timeout', message: `the script exceeded its time limit of ${timeoutMs} ms` };
}
