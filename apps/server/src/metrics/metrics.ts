import { Inject, Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { AnswerMode, FunctionRunRecord, MessageStatus, MessageTrace, PoolUsage, SandboxMonitor } from '../../../../libs/engine/src';
import { signatureFailureReason } from '../../../../libs/providers/src';
import { SANDBOX_MONITOR } from '../common/tokens';
import { QueueGauges } from './queue-gauges';

/** How a caller was answered, for the ingress latency: a webhook's answer mode, or a secret-token endpoint. */
export type IngressMode = AnswerMode | 'endpoint';

/** Written while the message still has work ahead; every other status is where it ends. */
const UNFINISHED: ReadonlySet<MessageStatus> = new Set(['queued', 'processing']);

const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const FUNCTION_BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300];

/**
 * The Prometheus metrics of this process (GET /metrics). Recording is a counter increment or
 * a histogram observation in memory, never I/O: the queue gauges and the sandbox's figures are
 * read when scraped. Labels are bounded: provider and function names (admin-defined), schemes,
 * statuses and fixed reasons, never a value taken from a request.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();
  private readonly messages: Counter<'provider' | 'status'>;
  private readonly signatureFailures: Counter<'scheme' | 'reason'>;
  private readonly ingress: Histogram<'mode'>;
  private readonly functions: Histogram<'function' | 'outcome'>;
  private readonly automationRuns: Counter<'kind' | 'outcome'>;

  constructor(@Inject(SANDBOX_MONITOR) sandbox: SandboxMonitor, queue: QueueGauges) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.messages = new Counter({
      name: 'hookline_messages_total',
      help: 'Messages by provider (or none) and the status they ended with, counted once when that status is written.',
      labelNames: ['provider', 'status'],
      registers,
    });
    this.signatureFailures = new Counter({
      name: 'hookline_signature_failures_total',
      help: 'Messages refused as unauthorized, by verification scheme and kind of failure.',
      labelNames: ['scheme', 'reason'],
      registers,
    });
    this.ingress = new Histogram({
      name: 'hookline_ingress_duration_seconds',
      help: 'Time from taking a webhook to having its answer, by answer mode (async, respond, sync) or endpoint.',
      labelNames: ['mode'],
      buckets: SECONDS_BUCKETS,
      registers,
    });
    this.functions = new Histogram({
      name: 'hookline_function_duration_seconds',
      help: 'Function runs of messages and their duration, by function name and outcome (succeeded, failed, timed_out).',
      labelNames: ['function', 'outcome'],
      buckets: FUNCTION_BUCKETS,
      registers,
    });
    this.automationRuns = new Counter({
      name: 'hookline_automation_runs_total',
      help: 'Automation runs that ended, by target kind (command, http, task) and outcome (succeeded, failed, dead).',
      labelNames: ['kind', 'outcome'],
      registers,
    });
    queue.register(registers);
    registerSandbox(sandbox, registers);
  }

  /**
   * A message's status was written. Counted when the status is one it ends with; for an
   * unauthorized one, its signature failure too.
   */
  messageWritten(status: MessageStatus, trace: MessageTrace): void {
    if (UNFINISHED.has(status)) return;
    const provider = trace.providers.find((evaluation) => evaluation.matched)?.providerName ?? 'none';
    this.messages.inc({ provider, status });
    const verification = trace.verification;
    if (status === 'unauthorized' && verification && !verification.ok) {
      this.signatureFailures.inc({ scheme: verification.scheme, reason: signatureFailureReason(verification.reason ?? '') });
    }
  }

  ingressAnswered(mode: IngressMode, seconds: number): void {
    this.ingress.observe({ mode }, seconds);
  }

  functionsRan(records: readonly FunctionRunRecord[]): void {
    for (const record of records) {
      if (record.status === 'skipped') continue;
      this.functions.observe({ function: record.functionName, outcome: record.status }, record.durationMs / 1000);
    }
  }

  automationRunEnded(kind: string, outcome: 'succeeded' | 'failed' | 'dead'): void {
    this.automationRuns.inc({ kind, outcome });
  }

  /** The text exposition format, with its content type. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

/** The sandbox's pools and disposals, read from it at each scrape. */
function registerSandbox(sandbox: SandboxMonitor, registers: Registry[]): void {
  const poolGauge = (name: string, help: string, pick: (usage: PoolUsage) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['pool'],
      registers,
      collect() {
        const usage = sandbox.poolUsage();
        this.set({ pool: 'function' }, pick(usage.function));
        this.set({ pool: 'match' }, pick(usage.match));
      },
    });
  poolGauge('hookline_sandbox_isolates_in_use', 'Isolates held by runs now (runs waiting on http.fetch included), by pool: function or match.', (usage) => usage.inUse);
  poolGauge('hookline_sandbox_isolates', 'Isolates alive now, idle or in use, by pool: function or match.', (usage) => usage.total);
  new Counter({
    name: 'hookline_sandbox_isolate_disposals_total',
    help: 'Isolates disposed by cause: timeout (a run outlived its limit after an await) or memory (a run exceeded the memory limit).',
    labelNames: ['cause'],
    registers,
    collect() {
      // The sandbox keeps the totals; the counter shows them as they are.
      const stats = sandbox.stats();
      this.reset();
      this.inc({ cause: 'timeout' }, stats.timeoutDisposals);
      this.inc({ cause: 'memory' }, stats.memoryDisposals);
    },
  });
}
