import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Backlog, type ScriptRequest } from '../../../../libs/engine/src';
import { takesRole, type AppConfig } from '../config';
import { CONFIG } from '../common/tokens';
import type { MessageEntity } from '../database/entities/message.entity';
import { MessagesRepository } from '../messages/messages.repository';
import { Leases } from '../processing/leases';
import type { MessageSubject } from '../processing/message-processor';
import { QueueSignal } from './queue-signal';

/** What the queue worker needs of a message to run its functions. */
export type QueuedMessage = MessageSubject & Pick<MessageEntity, 'attempts' | 'trace' | 'providerId' | 'endpointId'>;

/** A message accepted by this process and leased to its own workers, with the request as already parsed. */
export interface HandedOver {
  message: QueuedMessage;
  parsed: ScriptRequest;
}

/** A handed-over message that waited this long for a slot goes to the shared queue, where any server may take it. */
export const GIVE_BACK_MS = 200;

interface Waiting extends HandedOver {
  since: number;
}

/**
 * Async messages this process accepted for its own workers. Such a message is written once,
 * already `processing` under this process's lease, and handed over in memory: no claim query, no
 * reading the row back, no parsing the body again. If the process dies, the lease runs out and
 * any server takes the message up from the database, as for a claimed one.
 *
 * Back-pressure: at most HOOKLINE_QUEUE_BACKLOG messages are handed over and not finished. An
 * async request past that waits for a place, up to HOOKLINE_QUEUE_BACKLOG_WAIT, before its message
 * is written; ingress so slows to the pace of the workers instead of piling up a backlog they
 * never catch up with. A request that waited that long is accepted anyway, into the shared queue
 * (`queued`), and so is a handed-over message that found no free slot within GIVE_BACK_MS, for
 * when this process's workers are stuck on slow functions while other servers' are idle.
 */
@Injectable()
export class LocalQueue implements OnApplicationShutdown {
  private readonly logger = new Logger('Queue');
  private readonly backlog: Backlog;
  private readonly items: Waiting[] = [];
  private timer?: NodeJS.Timeout;
  private readonly isWorker: boolean;

  constructor(
    private readonly signal: QueueSignal,
    private readonly messages: MessagesRepository,
    private readonly leases: Leases,
    @Inject(CONFIG) private readonly config: AppConfig,
  ) {
    this.backlog = new Backlog(config.queueBacklog);
    this.isWorker = takesRole(config, 'worker');
  }

  /**
   * Holds a place for one message, waiting for one up to HOOKLINE_QUEUE_BACKLOG_WAIT (or
   * `maxWaitMs`, if shorter). Says whether it holds one, and how long it waited (0 when a place
   * was free at once). A process without the worker role holds none for async messages: they go
   * to the shared queue at once, for the worker processes. It still runs respond-mode messages
   * (`mustRunHere`), whose respond() must reach the caller waiting on this process.
   */
  async reserve(maxWaitMs = Number.POSITIVE_INFINITY, mustRunHere = false): Promise<{ isHeld: boolean; waitedMs: number }> {
    if (!mustRunHere && !this.isWorker) return { isHeld: false, waitedMs: 0 };
    if (this.backlog.enterNow()) return { isHeld: true, waitedMs: 0 };
    const from = Date.now();
    const isHeld = await this.backlog.enter(Math.min(this.config.queueBacklogWaitMs, maxWaitMs));
    return { isHeld, waitedMs: Math.max(1, Date.now() - from) };
  }

  /** Gives back a place held for a message that was not handed over after all. */
  cancel(): void {
    this.backlog.leave();
  }

  /** Hands over a message written with this process's lease, in the place held for it. */
  push(item: HandedOver): void {
    this.leases.hold(item.message.id);
    this.items.push({ ...item, since: Date.now() });
    this.timer ??= setInterval(() => void this.giveBackStale(), GIVE_BACK_MS / 2);
    this.signal.notify();
  }

  /** Up to `limit` handed-over messages, oldest first. */
  take(limit: number): HandedOver[] {
    return this.items.splice(0, limit);
  }

  /** A handed-over message is finished (or given up on): its place is free. */
  done(): void {
    this.backlog.leave();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Gives messages that waited past GIVE_BACK_MS to the shared queue. */
  private async giveBackStale(): Promise<void> {
    const cutoff = Date.now() - GIVE_BACK_MS;
    let count = 0;
    while (count < this.items.length && this.items[count].since <= cutoff) count++;
    if (count === 0) {
      if (this.items.length === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
      return;
    }
    const ids = this.items.splice(0, count).map(({ message }) => message.id);
    for (const id of ids) {
      this.leases.release(id);
      this.backlog.leave();
    }
    try {
      await this.messages.requeue(this.leases.workerId, ids);
    } catch (err) {
      // Their leases, no longer renewed, run out instead.
      this.logger.warn(`Could not give ${ids.length} message(s) back to the shared queue: ${(err as Error).message}`);
    }
  }
}
