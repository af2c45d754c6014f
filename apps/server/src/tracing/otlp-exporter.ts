import { Logger } from '@nestjs/common';
import type { OtelConfig } from '../config';

export type SpanKind = 'internal' | 'server' | 'client';
export type AttributeValue = string | number | boolean;

/** A finished span, as the exporter sends it. */
export interface FinishedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: SpanKind;
  startMs: number;
  endMs: number;
  attributes: Record<string, AttributeValue>;
  /** Set when the work failed, with why. */
  error?: string;
}

const KIND_CODES: Record<SpanKind, number> = { internal: 1, server: 2, client: 3 };
const BATCH_SIZE = 512;
const FLUSH_MS = 2_000;
/** Spans kept while the collector is away; older ones are dropped first. */
const MAX_QUEUED = 4_096;
const EXPORT_TIMEOUT_MS = 10_000;

/**
 * Sends spans to an OpenTelemetry collector over OTLP/HTTP JSON, in batches, from a timer: a
 * span's end only pushes it onto a queue, so a slow or absent collector never holds up a
 * webhook. A failed batch is dropped (and said once until sending works again).
 */
export class OtlpExporter {
  private readonly logger = new Logger('Tracing');
  private queue: FinishedSpan[] = [];
  private timer?: NodeJS.Timeout;
  private sending?: Promise<void>;
  private isFailing = false;

  constructor(private readonly config: OtelConfig) {}

  add(span: FinishedSpan): void {
    this.queue.push(span);
    if (this.queue.length > MAX_QUEUED) this.queue.splice(0, this.queue.length - MAX_QUEUED);
    if (this.queue.length >= BATCH_SIZE) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), FLUSH_MS);
  }

  /** Sends everything queued; resolves when done, never rejects. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.sending;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, BATCH_SIZE);
      this.sending = this.send(batch);
      await this.sending;
    }
    this.sending = undefined;
  }

  private async send(batch: FinishedSpan[]): Promise<void> {
    try {
      const response = await fetch(this.config.tracesUrl, {
        method: 'POST',
        headers: { ...this.config.headers, 'content-type': 'application/json' },
        body: JSON.stringify(this.payload(batch)),
        signal: AbortSignal.timeout(EXPORT_TIMEOUT_MS),
      });
      await response.body?.cancel();
      if (!response.ok) throw new Error(`the collector answered ${response.status}`);
      if (this.isFailing) this.logger.log(`Sending spans to ${this.config.tracesUrl} works again`);
      this.isFailing = false;
    } catch (err) {
      if (!this.isFailing) {
        this.logger.warn(`Could not send ${batch.length} span(s) to ${this.config.tracesUrl}, dropped them: ${describe(err)}`);
      }
      this.isFailing = true;
    }
  }

  private payload(batch: FinishedSpan[]) {
    return {
      resourceSpans: [
        {
          resource: { attributes: attributes({ 'service.name': this.config.serviceName, 'telemetry.sdk.name': 'hookline' }) },
          scopeSpans: [{ scope: { name: 'hookline' }, spans: batch.map(toOtlp) }],
        },
      ],
    };
  }
}

function toOtlp(span: FinishedSpan) {
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    ...(span.parentSpanId !== undefined && { parentSpanId: span.parentSpanId }),
    name: span.name,
    kind: KIND_CODES[span.kind],
    startTimeUnixNano: nanos(span.startMs),
    endTimeUnixNano: nanos(Math.max(span.endMs, span.startMs)),
    attributes: attributes(span.attributes),
    status: span.error === undefined ? { code: 1 } : { code: 2, message: span.error },
  };
}

/** Milliseconds (fractional) since the epoch as a decimal string of nanoseconds, as OTLP/JSON writes 64-bit integers. */
function nanos(ms: number): string {
  return (BigInt(Math.floor(ms)) * 1_000_000n + BigInt(Math.round((ms % 1) * 1_000_000))).toString();
}

function attributes(values: Record<string, AttributeValue>) {
  return Object.entries(values).map(([key, value]) => ({
    key,
    value: typeof value === 'string' ? { stringValue: value } : typeof value === 'boolean' ? { boolValue: value } : Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value },
  }));
}

function describe(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
  return message + cause;
}
