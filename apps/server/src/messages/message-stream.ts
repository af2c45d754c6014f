import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { once } from 'node:events';
import { refuseEventStream, startEventStream } from '../common/server-sent-events';
import type { MessageFilter } from './message-filter';
import { toSummary } from './message-summary';
import type { MessageChangeView } from './message-view';
import { encodePosition, isBefore, MessageChangesRepository, positionOf, type ChangePosition, type ChangeRow } from './message-changes.repository';

/** How often the change feed's head is read while anyone is listening. */
const POLL_MS = 250;
const KEEP_ALIVE_MS = 15_000;
/** Changes read (and so held in memory) per client at a time. */
const PAGE = 200;

interface Listener {
  filter: MessageFilter;
  position: ChangePosition;
  out: ServerResponse;
  busy: boolean;
  closed: boolean;
}

/**
 * Server-sent events for new messages and status changes. Every client reads the change feed
 * in the database from its own position, so a reconnect with Last-Event-ID gets exactly what
 * it missed whichever process wrote it. One poller per process reads the feed's head; a
 * client reads a page at a time and waits for its socket to drain before the next page, so
 * a slow client costs one page of memory, never a growing queue.
 */
@Injectable()
export class MessageStream implements OnModuleDestroy {
  private readonly logger = new Logger('MessageStream');
  private readonly listeners = new Set<Listener>();
  private head?: ChangePosition;
  private poller?: NodeJS.Timeout;
  private keepAlive?: NodeJS.Timeout;
  private polling = false;

  constructor(private readonly changes: MessageChangesRepository) {}

  /** Streams to `out` until the client goes away; from `after`, or from now. */
  async open(out: ServerResponse, headers: Record<string, string>, filter: MessageFilter, after?: ChangePosition): Promise<void> {
    let head: ChangePosition;
    try {
      head = await this.currentHead();
    } catch (err) {
      refuseEventStream(out, headers, `The message change feed cannot be read: ${(err as Error).message}`);
      return;
    }
    const listener: Listener = { filter, position: after ?? head, out, busy: false, closed: false };
    startEventStream(out, headers);
    out.on('close', () => {
      listener.closed = true;
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.stopTimers();
    });
    this.listeners.add(listener);
    this.startTimers();
    void this.pump(listener);
  }

  onModuleDestroy(): void {
    this.stopTimers();
    for (const listener of this.listeners) listener.out.end();
    this.listeners.clear();
  }

  private async currentHead(): Promise<ChangePosition> {
    this.head ??= await this.changes.head();
    return this.head;
  }

  private startTimers(): void {
    this.poller ??= setInterval(() => void this.poll(), POLL_MS);
    this.keepAlive ??= setInterval(() => {
      for (const listener of this.listeners) if (!listener.busy) listener.out.write(': keep-alive\n\n');
    }, KEEP_ALIVE_MS);
  }

  private stopTimers(): void {
    clearInterval(this.poller);
    clearInterval(this.keepAlive);
    this.poller = undefined;
    this.keepAlive = undefined;
    // With nobody listening the head goes stale; the next client reads it afresh.
    this.head = undefined;
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      this.head = await this.changes.head();
      for (const listener of this.listeners) void this.pump(listener);
    } catch (err) {
      this.logger.warn(`Reading the message change feed failed: ${(err as Error).message}`);
    } finally {
      this.polling = false;
    }
  }

  /** Sends a listener what lies between its position and the head, one page at a time. */
  private async pump(listener: Listener): Promise<void> {
    if (listener.busy) return;
    listener.busy = true;
    try {
      for (;;) {
        const head = this.head;
        if (listener.closed || !head || !isBefore(listener.position, head)) return;
        const rows = await this.changes.after(listener.filter, listener.position, head, PAGE);
        for (const row of rows) {
          if (listener.closed) return;
          if (!listener.out.write(eventOf(row))) await Promise.race([once(listener.out, 'drain'), once(listener.out, 'close')]);
        }
        const last = rows[rows.length - 1];
        listener.position = rows.length === PAGE && last ? positionOf(last) : head;
      }
    } catch (err) {
      if (!listener.closed) {
        this.logger.warn(`Streaming messages failed: ${(err as Error).message}`);
        listener.out.end();
      }
    } finally {
      listener.busy = false;
    }
  }
}

function eventOf(row: ChangeRow): string {
  const data: MessageChangeView = {
    change: row.previous_status === null ? 'created' : 'status',
    status: row.change_status,
    previousStatus: row.previous_status,
    at: new Date(row.changed_at).toISOString(),
    message: toSummary(row),
  };
  return `id: ${encodePosition(positionOf(row))}\ndata: ${JSON.stringify(data)}\n\n`;
}
