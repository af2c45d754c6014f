import { randomBytes } from 'node:crypto';

/** A W3C Trace Context position: the trace, the span that is the parent of the next one, and the flags. */
export interface TraceContext {
  traceId: string;
  spanId: string;
  /** Two hex digits; `01` is sampled. */
  flags: string;
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ALL_ZERO = /^0+$/;

/**
 * The context a `traceparent` header carries, or null when it is absent or invalid (then a new
 * trace starts, as the specification asks). Version ff is invalid; later versions may add fields
 * after the fourth, which are ignored.
 */
export function parseTraceparent(header: string | undefined): TraceContext | null {
  const match = TRACEPARENT.exec((header ?? '').trim());
  if (!match) return null;
  const [, version, traceId, spanId, flags, rest] = match;
  if (version === 'ff' || (version === '00' && rest !== undefined)) return null;
  if (ALL_ZERO.test(traceId) || ALL_ZERO.test(spanId)) return null;
  return { traceId, spanId, flags };
}

export function formatTraceparent(context: TraceContext): string {
  return `00-${context.traceId}-${context.spanId}-${context.flags}`;
}

/** A random span id: 8 bytes, never all zero. */
export function newSpanId(): string {
  for (;;) {
    const id = randomBytes(8).toString('hex');
    if (!ALL_ZERO.test(id)) return id;
  }
}

/** A random trace id: 16 bytes, never all zero. */
export function newTraceId(): string {
  for (;;) {
    const id = randomBytes(16).toString('hex');
    if (!ALL_ZERO.test(id)) return id;
  }
}

/** Whether `headers` already names a traceparent (any case): a caller's own header wins. */
export function hasTraceparent(headers: Record<string, string> | undefined): boolean {
  return Object.keys(headers ?? {}).some((name) => name.toLowerCase() === 'traceparent');
}
