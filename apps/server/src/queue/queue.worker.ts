import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { AppConfig } from '../config';
import { CONFIG, NOTIFICATIONS } from '../common/tokens';
import type { Notifications } from '../database/notifications';
import type { MessageEntity } from '../database/entities/message.entity';
import { MessageLedger } from '../messages/message-ledger';
import { MessagesRepository } from '../messages/messages.repository';
import { Leases } from '../processing/leases';
import { MessageProcessor } from '../processing/message-processor';
import { RespondWaiters, settleOrGiveUp, type TakenResponse } from '../processing/respond-waiters';
import type { AnswerRecord, ScriptResponse } from '../../../../libs/engine/src';
import { QueueSignal } from './queue-signal';
import { WorkLoop } from './work-loop';

/** A message whose processing kept dying with the process is given up on (dead), not retried forever. */
const MAX_ATTEMPTS = 5;

/**
 * Runs the functions of queued messages from the messages table itself: claims up to
 * HOOKLINE_QUEUE_BATCH of them per query, and their results are written together (MessageWrites).
 */
@Injectable()
export class QueueWorker implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Queue');
  private readonly loop: WorkLoop<MessageEntity>;

  constructor(
    private readonly messages: MessagesRepository,
    private readonly processor: MessageProcessor,
    private readonly ledger: MessageLedger,
    private readonly leases: Leases,
    private readonly waiters: RespondWaiters,
    signal: QueueSignal,
    @Inject(NOTIFICATIONS) notifications: Notifications,
    @Inject(CONFIG) private readonly config: AppConfig,
  ) {
    // A message queued by any server (or by this one, through another path) wakes idle workers.
    notifications.on('hookline_queue', () => signal.notify());
    this.loop = new WorkLoop({
      name: 'Queue',
      concurrency: () => config.queueConcurrency,
      pollMs: () => config.queuePollMs,
      signal,
      logger: this.logger,
      claim: (free) => this.messages.claimBatch(this.leases.workerId, this.leases.durationMs, Math.min(free, config.queueClaimBatch)),
      process: (message) => this.process(message),
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

  private async process(message: MessageEntity): Promise<void> {
    const id = message.id;
    this.leases.hold(id);
    try {
      const interrupted = message.attempts - 1;
      const trace = interrupted > 0 ? { ...message.trace, interruptedAttempts: interrupted } : message.trace;
      if (message.attempts > MAX_ATTEMPTS) {
        await this.ledger.finish(id, 'dead', trace, { statusReason: `processing was interrupted ${interrupted} times; giving up` });
        return;
      }
      const provider = await this.processor.providerFor(message);
      if (!provider) {
        await this.ledger.finish(id, 'failed', trace, { statusReason: 'its provider was deleted before the functions ran' });
        return;
      }
      // A respond-mode caller may be waiting in this process for the first respond().
      let taken: TakenResponse | undefined;
      const onRespond = this.waiters.isWaiting(id) ? (response: ScriptResponse, fn: { id: string }) => (taken = this.waiters.offer(id, response, fn.id)) !== undefined : undefined;
      const result = await this.processor.runFunctions(message, provider, trace, onRespond);
      if (!taken) {
        await this.processor.settle(message, result);
        return;
      }
      // Recorded as it went out, not as the script made it.
      const delivered = await settleOrGiveUp(taken.sent, this.config.syncTimeoutMs);
      const answer: AnswerRecord = { ...result.trace.answer, status: delivered?.status ?? taken.status, at: new Date().toISOString(), by: 'function', functionId: taken.functionId };
      if (delivered) Object.assign(answer, { headers: delivered.headers }, delivered.error !== undefined && { error: delivered.error });
      delete answer.respondTimeoutMs;
      await this.processor.settle(message, { ...result, trace: { ...result.trace, answer } }, { httpStatus: answer.status });
    } catch (err) {
      // The lease runs out and the message is tried again (up to MAX_ATTEMPTS).
      this.processor.logFailure(id, err);
    } finally {
      this.leases.release(id);
    }
  }
}
