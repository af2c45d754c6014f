import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { formatTraceparent, newSpanId, parseTraceparent } from '../../../../libs/engine/src';
import type { AppConfig } from '../config';
import { CONFIG } from '../common/tokens';
import { OtlpExporter, type AttributeValue, type FinishedSpan, type SpanKind } from './otlp-exporter';

/** Where a message sits in a trace: worked out from the message alone, in any process, at any time. */
export interface MessageTrace {
  traceId: string;
  /** The message's own span: the ingress span, parent of every later span of the message. */
  spanId: string;
  /** The sender's span, when the webhook carried a valid traceparent. */
  parentSpanId?: string;
  flags: string;
}

/**
 * A message continues the trace of the `traceparent` its webhook carried; without one its trace
 * id is its own id (a random UUID is 122 random bits, as a trace id should be). Its span id is
 * derived from its id, so a retry in another process, or an automation run an hour later, names
 * the same parent without anything stored.
 */
export function traceOfMessage(message: { id: string; headers: Record<string, string> }): MessageTrace {
  const inbound = parseTraceparent(message.headers.traceparent);
  const spanId = digest(`message:${message.id}`).slice(0, 16);
  if (inbound) return { traceId: inbound.traceId, spanId, parentSpanId: inbound.spanId, flags: inbound.flags };
  return { traceId: idAsTraceId(message.id), spanId, flags: '01' };
}

/** The trace of work that has no message (a scheduled or polled automation run): its own id's. */
export function traceOfRun(runId: string): MessageTrace {
  return { traceId: idAsTraceId(runId), spanId: digest(`run:${runId}`).slice(0, 16), flags: '01' };
}

function idAsTraceId(id: string): string {
  const hex = id.replace(/-/g, '').toLowerCase();
  return /^[0-9a-f]{32}$/.test(hex) && !/^0+$/.test(hex) ? hex : digest(id).slice(0, 32);
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A span being timed. Ending it hands it to the exporter, if spans are exported at all. */
export class Span {
  private readonly startMs = performance.timeOrigin + performance.now();
  private readonly attributes: Record<string, AttributeValue>;
  private hasEnded = false;

  constructor(
    private readonly exporter: OtlpExporter | undefined,
    readonly name: string,
    readonly kind: SpanKind,
    readonly traceId: string,
    readonly spanId: string,
    readonly parentSpanId: string | undefined,
    readonly flags: string,
    attributes: Record<string, AttributeValue>,
  ) {
    this.attributes = { ...attributes };
  }

  /** The header that makes the receiver's span a child of this one. */
  get traceparent(): string {
    return formatTraceparent({ traceId: this.traceId, spanId: this.spanId, flags: this.flags });
  }

  child(name: string, kind: SpanKind, attributes: Record<string, AttributeValue> = {}): Span {
    return new Span(this.exporter, name, kind, this.traceId, newSpanId(), this.spanId, this.flags, attributes);
  }

  end(outcome: { error?: string; attributes?: Record<string, AttributeValue> } = {}): void {
    if (this.hasEnded) return;
    this.hasEnded = true;
    if (!this.exporter || !isSampled(this.flags)) return;
    const span: FinishedSpan = {
      traceId: this.traceId,
      spanId: this.spanId,
      ...(this.parentSpanId !== undefined && { parentSpanId: this.parentSpanId }),
      name: this.name,
      kind: this.kind,
      startMs: this.startMs,
      endMs: performance.timeOrigin + performance.now(),
      attributes: { ...this.attributes, ...outcome.attributes },
      ...(outcome.error !== undefined && { error: outcome.error }),
    };
    this.exporter.add(span);
  }
}

/**
 * Spans of ingress, message processing, function runs and automation runs. Trace ids and
 * traceparent headers are always worked out; spans leave the process only when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set.
 */
@Injectable()
export class Tracer implements OnApplicationShutdown {
  private readonly exporter?: OtlpExporter;

  constructor(@Inject(CONFIG) config: AppConfig) {
    if (config.otel) this.exporter = new OtlpExporter(config.otel);
  }

  /** A span with a given id (the message's own), or a fresh one, under `parentSpanId`. */
  start(name: string, kind: SpanKind, at: { traceId: string; spanId?: string; parentSpanId?: string; flags: string }, attributes: Record<string, AttributeValue> = {}): Span {
    return new Span(this.exporter, name, kind, at.traceId, at.spanId ?? newSpanId(), at.parentSpanId, at.flags, attributes);
  }

  /** A span of work already done and timed elsewhere (a function run's record). */
  record(span: FinishedSpan, flags: string): void {
    if (this.exporter && isSampled(flags)) this.exporter.add(span);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.exporter?.flush();
  }
}

function isSampled(flags: string): boolean {
  return (parseInt(flags, 16) & 1) === 1;
}
