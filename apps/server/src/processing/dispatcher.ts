import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  acceptWebhook,
  RespondWaiters,
  type Answer,
  type AnswerSettings,
  type FirstWrite,
  type InboundRequest,
  type ProviderDefinition,
  type WebhookPorts,
} from '../../../../libs/engine/src';
import type { AppConfig } from '../config';
import { CONFIG } from '../common/tokens';
import { MessageLedger, type NewMessage } from '../messages/message-ledger';
import { Metrics } from '../metrics/metrics';
import { LocalQueue } from '../queue/local-queue';
import { SHUTDOWN_GRACE_MS } from '../queue/work-loop';
import { CredentialHeaders, type StoredHeaders } from './credential-headers';
import { Leases } from './leases';
import { MessageProcessor } from './message-processor';
import { messageRow, originTrace, type MessageOrigin } from './message-row';
import { Catalog } from './catalog';
import { withLogContext } from '../logging/log-context';
import { traceOfMessage, Tracer } from '../tracing/tracer';

export type { Answer, SentAnswer } from '../../../../libs/engine/src';

export interface DispatchOptions extends MessageOrigin {
  sync: boolean;
  /** For a webhook: how its sender forced sync, if it did. */
  forcedBy?: 'header' | 'query';
}

/**
 * The server's side of a message's path (the engine's acceptWebhook): the catalog, the sandbox,
 * the ledger, this process's workers and leases, and the sync runs a stopping server waits for.
 */
@Injectable()
export class Dispatcher implements OnApplicationShutdown {
  /** Sync runs still going: the caller may have its answer (a respond(), a timeout) while the functions and the last write go on. */
  private readonly running = new Set<Promise<void>>();
  private readonly ports: Omit<WebhookPorts<NewMessage>, 'identify' | 'write'>;

  constructor(
    private readonly processor: MessageProcessor,
    private readonly ledger: MessageLedger,
    private readonly credentials: CredentialHeaders,
    private readonly leases: Leases,
    private readonly catalog: Catalog,
    private readonly metrics: Metrics,
    private readonly tracer: Tracer,
    waiters: RespondWaiters,
    local: LocalQueue,
    @Inject(CONFIG) private readonly config: AppConfig,
  ) {
    this.ports = {
      answerSettings: (provider, uri) => this.answerSettings(provider, uri),
      local: {
        reserve: (maxWaitMs, mustRunHere) => local.reserve(maxWaitMs, mustRunHere),
        cancel: () => local.cancel(),
        handOver: (message, parsed) => local.push({ message, parsed }),
      },
      waiters,
      leases,
      functions: processor,
      logFailure: (id, err) => processor.logFailure(id, err),
      syncTimeoutMs: config.syncTimeoutMs,
      track: (run) => {
        this.running.add(run);
        void run.finally(() => this.running.delete(run));
      },
    };
  }

  /** Every line logged on the way carries the message's id and trace id, and its provider's once known. */
  async dispatch(request: InboundRequest, options: DispatchOptions): Promise<Answer> {
    const id = randomUUID();
    const trace = traceOfMessage({ id, headers: request.headers });
    return withLogContext({ messageId: id, traceId: trace.traceId }, async () => {
      const span = this.tracer.start(`${request.method} /webhooks/${request.uri}`, options.triggeredBy === 'webhook' ? 'server' : 'internal', trace, {
        'http.request.method': request.method,
        'hookline.message.id': id,
        'hookline.uri': request.uri,
        'hookline.triggered_by': options.triggeredBy,
      });
      try {
        const answer = await this.accept(id, request, options);
        span.end({ attributes: { 'http.response.status_code': answer.status } });
        return answer;
      } catch (err) {
        span.end({ error: err instanceof Error ? err.message : String(err) });
        throw err;
      }
    });
  }

  private async accept(id: string, request: InboundRequest, options: DispatchOptions): Promise<Answer> {
    const started = performance.now();
    // Scripts see the request as it is stored, credentials redacted, whether they run now or from the queue.
    const stored = await this.credentials.redact(request.headers);
    const ports: WebhookPorts<NewMessage> = {
      ...this.ports,
      identify: () =>
        this.processor.identify(
          { ...request, headers: stored.headers },
          { signedHeaders: request.headers, isReplay: options.triggeredBy === 'resubmit', trace: originTrace(options) },
        ),
      write: (first) => this.write(first, request, stored, options),
    };
    const { answer, mode } = await acceptWebhook(ports, {
      id,
      uri: request.uri,
      receivedAt: request.receivedAt,
      triggeredBy: options.triggeredBy,
      sync: options.sync,
      ...(options.forcedBy && { forcedBy: options.forcedBy }),
    });
    if (options.triggeredBy === 'webhook') this.metrics.ingressAnswered(mode, (performance.now() - started) / 1000);
    return answer;
  }

  private async write(first: FirstWrite, request: InboundRequest, stored: StoredHeaders, origin: MessageOrigin) {
    const row = messageRow(first.id, request, stored, origin, {
      ...first,
      ...(first.isLeased && { lease: this.leases.fresh() }),
    });
    const claim = first.claim && { ...first.claim, windowMs: this.config.dedupWindowMs };
    const accepted = await this.ledger.accept(row, claim);
    return { message: accepted.row, duplicateOf: accepted.duplicateOf };
  }

  private async answerSettings(definition: ProviderDefinition, uri: string): Promise<AnswerSettings | null> {
    const provider = await this.catalog.provider(definition.id);
    if (!provider) return null;
    const functions = await this.catalog.runnableFunctions(provider.row.id, uri);
    return {
      providerMode: provider.row.answerMode,
      functions: functions.map(({ row }) => ({ id: row.id, answerMode: row.answerMode })),
      respondTimeoutMs: provider.row.respondTimeoutMs,
      fixedAnswer: provider.row.fixedAnswer,
    };
  }

  /** Lets the sync runs in progress record their end before the database closes (up to SHUTDOWN_GRACE_MS). */
  async onApplicationShutdown(): Promise<void> {
    if (this.running.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<void>((resolve) => (timer = setTimeout(resolve, SHUTDOWN_GRACE_MS)));
    await Promise.race([Promise.allSettled([...this.running]), graceOver]);
    clearTimeout(timer);
  }
}
