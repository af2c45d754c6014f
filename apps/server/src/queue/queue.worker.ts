import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { takesRole, type AppConfig } from '../config';
import { CONFIG, NOTIFICATIONS } from '../common/tokens';
import type { Notifications } from '../database/notifications';
import { MessageLedger } from '../messages/message-ledger';
import { MessagesRepository } from '../messages/messages.repository';
import { Leases } from '../processing/leases';
import { MessageProcessor } from '../processing/message-processor';
import { RespondWaiters, runQueuedMessage, type QueuePorts, type ScriptRequest } from '../../../../libs/engine/src';
import { LocalQueue, type QueuedMessage } from './local-queue';
import { QueueSignal } from './queue-signal';
import { WorkLoop } from './work-loop';
import { withLogContext } from '../logging/log-context';
import { traceOfMessage } from '../tracing/tracer';

/** A message to run: handed over by this process's ingress (with its parsed request), or claimed. */
interface Work {
  message: QueuedMessage;
  parsed?: ScriptRequest;
  handedOver?: true;
}

/**
 * Runs the functions of messages: first those this process accepted and handed over (LocalQueue),
 * then queued ones from the messages table itself, claiming up to HOOKLINE_QUEUE_BATCH of them per
 * query. The results are written together (MessageWrites). A process without the worker role runs
 * only what its ingress handed over (respond-mode messages) and claims nothing from the table.
 */
@Injectable()
export class QueueWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Queue');
  private readonly loop: WorkLoop<Work>;
  /** Set by a notification that a message was queued; the shared queue is also looked at every poll interval. */
  private sharedMayHaveWork = true;
  private foundEmptyAt = 0;
  private readonly ports: QueuePorts<QueuedMessage>;
  private readonly claimsShared: boolean;

  constructor(
    private readonly messages: MessagesRepository,
    private readonly processor: MessageProcessor,
    ledger: MessageLedger,
    private readonly leases: Leases,
    waiters: RespondWaiters,
    private readonly local: LocalQueue,
    signal: QueueSignal,
    @Inject(NOTIFICATIONS) notifications: Notifications,
    @Inject(CONFIG) private readonly config: AppConfig,
  ) {
    this.claimsShared = takesRole(config, 'worker');
    // A message queued by any server (this one included) wakes idle workers.
    notifications.on('hookline_queue', () => {
      if (!this.claimsShared) return;
      this.sharedMayHaveWork = true;
      signal.notify();
    });
    this.ports = {
      functions: processor,
      providerOf: (message) => processor.providerFor(message),
      finish: (id, status, trace, statusReason) => ledger.finish(id, status, trace, { statusReason }),
      waiters,
      syncTimeoutMs: config.syncTimeoutMs,
    };
    this.loop = new WorkLoop({
      name: 'Queue',
      concurrency: () => config.queueConcurrency,
      pollMs: () => config.queuePollMs,
      signal,
      logger: this.logger,
      claim: (free) => this.claim(free),
      process: (work) => this.process(work),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.database.kind === 'pglite') {
      const recovered = await this.messages.expireAllLeases();
      if (recovered > 0) this.logger.warn(`Taking up ${recovered} message(s) left unfinished by a stopped server`);
    }
    this.loop.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.loop.stop();
  }

  private async claim(free: number): Promise<Work[]> {
    const work: Work[] = this.local.take(free).map((item) => ({ ...item, handedOver: true }));
    // A slot freed or a message handed over says nothing about the shared queue: no query for it.
    const isDue = this.sharedMayHaveWork || Date.now() - this.foundEmptyAt >= this.config.queuePollMs;
    if (this.claimsShared && work.length < free && isDue) {
      // Cleared before the query: a notification that arrives during it sets it again.
      this.sharedMayHaveWork = false;
      const limit = Math.min(free - work.length, this.config.queueClaimBatch);
      let claimed;
      try {
        claimed = await this.messages.claimBatch(this.leases.workerId, this.leases.durationMs, limit);
      } catch (err) {
        // The messages handed over are ours already: they run; the claim is tried again later.
        if (work.length === 0) throw err;
        this.logger.error(`Queue: could not claim work: ${(err as Error).message}`);
        return work;
      }
      if (claimed.length < limit) this.foundEmptyAt = Date.now();
      else this.sharedMayHaveWork = true;
      for (const message of claimed) work.push({ message });
    }
    return work;
  }

  private process(work: Work): Promise<void> {
    const { message } = work;
    const fields = { messageId: message.id, traceId: traceOfMessage(message).traceId, ...(message.providerId && { providerId: message.providerId }) };
    return withLogContext(fields, () => this.run(work));
  }

  private async run({ message, parsed, handedOver }: Work): Promise<void> {
    const id = message.id;
    this.leases.hold(id);
    try {
      await runQueuedMessage(this.ports, message, parsed);
    } catch (err) {
      // The lease runs out and the message is tried again (up to MAX_INTERRUPTED_ATTEMPTS).
      this.processor.logFailure(id, err);
    } finally {
      this.leases.release(id);
      if (handedOver) this.local.done();
    }
  }
}
