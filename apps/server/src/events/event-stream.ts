import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import type { Subscription } from 'rxjs';
import type { AppConfig } from '../config';
import { CONFIG } from '../common/tokens';
import { refuseEventStream, SSE_RETRY_MS, startEventStream } from '../common/server-sent-events';
import { RunnersService } from '../tasks/runners.service';
import { EventLogRepository, EventSequencer } from './event-log';
import { frameOf, isFrameFor, type StreamFilter, type StreamReader } from './event-frames';
import type { StreamStart } from './stream-query';

/** Rows read (and so held in memory) per client at a time. */
const PAGE = 200;
/** How often the head is read while anyone listens, in case a notification from another server was lost. */
const POLL_MS = 1_000;
const HEARTBEAT = ': heartbeat\n\n';

interface Client {
  reader: StreamReader;
  filter: StreamFilter;
  /** The last row passed to this client, sent or skipped by its filter. */
  position: number;
  /** How far behind the head it may be: as far as it was when it connected, plus HOOKLINE_STREAM_MAX_LAG. */
  lagAllowed: number;
  out: ServerResponse;
  busy: boolean;
  closed: boolean;
}

/**
 * The event stream for runners: server-sent events read from the event log. Each client reads
 * from its own position in the database, a page at a time, and the next page only once its
 * socket has drained, so a slow client costs one page of memory and never slows ingest. A
 * client whose socket stays full past HOOKLINE_STREAM_DRAIN_TIMEOUT, or that falls more than
 * HOOKLINE_STREAM_MAX_LAG frames further behind, is told to reconnect and cut off: it resumes
 * from the database with Last-Event-ID, where nothing is lost within retention.
 */
@Injectable()
export class EventStream implements OnModuleDestroy {
  private readonly logger = new Logger('EventStream');
  private readonly clients = new Set<Client>();
  private readonly subscription: Subscription;
  private head = 0;
  private poller?: NodeJS.Timeout;
  private heartbeat?: NodeJS.Timeout;

  constructor(
    private readonly log: EventLogRepository,
    sequencer: EventSequencer,
    private readonly runners: RunnersService,
    @Inject(CONFIG) private readonly config: AppConfig,
  ) {
    // 0: another server numbered rows; the head is read from the database.
    this.subscription = sequencer.sequenced$.subscribe((seq) => (seq > 0 ? this.advance(seq) : void this.poll()));
  }

  /** Streams to `out` until the client goes away or is cut off. */
  async open(out: ServerResponse, headers: Record<string, string>, reader: StreamReader, filter: StreamFilter, start: StreamStart): Promise<void> {
    let head: number;
    let gap: { requestedAfter: number; oldestAvailable: number } | undefined;
    try {
      head = await this.log.head();
      if (typeof start === 'object') {
        const removedThrough = await this.log.removedThrough();
        if (start.after < removedThrough) gap = { requestedAfter: start.after, oldestAvailable: (await this.log.oldest()) ?? removedThrough + 1 };
      }
    } catch (err) {
      refuseEventStream(out, headers, `The event log cannot be read: ${(err as Error).message}`);
      return;
    }
    this.advance(head);
    const position = start === 'head' ? head : start === 'oldest' ? 0 : start.after;
    const client: Client = { reader, filter, position, lagAllowed: Math.max(0, head - position) + this.config.streamMaxLag, out, busy: false, closed: false };
    startEventStream(out, headers);
    // No id: a client that reconnects before it gets a frame is told of the gap again.
    if (gap) out.write(`event: gap\ndata: ${JSON.stringify(gap)}\n\n`);
    out.on('close', () => this.forget(client));
    this.clients.add(client);
    this.startTimers();
    void this.pump(client);
  }

  onModuleDestroy(): void {
    this.subscription.unsubscribe();
    this.stopTimers();
    for (const client of this.clients) {
      client.closed = true;
      client.out.end();
    }
    this.clients.clear();
  }

  private forget(client: Client): void {
    client.closed = true;
    this.clients.delete(client);
    if (this.clients.size === 0) this.stopTimers();
  }

  private startTimers(): void {
    this.poller ??= setInterval(() => void this.poll(), POLL_MS);
    this.heartbeat ??= setInterval(() => void this.beat(), this.config.streamHeartbeatMs);
  }

  private stopTimers(): void {
    clearInterval(this.poller);
    clearInterval(this.heartbeat);
    this.poller = undefined;
    this.heartbeat = undefined;
  }

  private async poll(): Promise<void> {
    if (this.clients.size === 0) return;
    try {
      this.advance(await this.log.head());
    } catch (err) {
      this.logger.warn(`Reading the event log's head failed: ${(err as Error).message}`);
    }
  }

  /** A new head: idle clients catch up; a client still waiting on its socket is cut off once too far behind. */
  private advance(seq: number): void {
    if (seq > this.head) this.head = seq;
    for (const client of this.clients) {
      if (client.busy) this.checkLag(client);
      else void this.pump(client);
    }
  }

  private checkLag(client: Client): boolean {
    const behind = this.head - client.position;
    if (behind <= client.lagAllowed) return true;
    this.cutOff(client, `it fell ${behind} frames behind the head`);
    return false;
  }

  /** Sends a client what lies between its position and the head, one page at a time. */
  private async pump(client: Client): Promise<void> {
    if (client.busy || client.closed) return;
    client.busy = true;
    try {
      while (!client.closed && client.position < this.head && this.checkLag(client)) {
        const rows = await this.log.after(client.position, PAGE);
        if (rows.length === 0) break;
        for (const row of rows) {
          if (client.closed) return;
          const sent = !isFrameFor(row, client.reader, client.filter) || (await this.write(client, frameOf(row)));
          if (!sent) return;
          client.position = row.seq;
        }
      }
    } catch (err) {
      if (!client.closed) {
        this.logger.warn(`Streaming events failed: ${(err as Error).message}`);
        client.out.end();
      }
    } finally {
      client.busy = false;
    }
    // A head that moved while this client was busy was not pumped for.
    if (!client.closed && client.position < this.head) void this.pump(client);
  }

  /** Writes; when the socket is full, waits for it to drain up to the drain timeout. False: the client is gone or was cut off. */
  private async write(client: Client, text: string): Promise<boolean> {
    if (client.out.write(text)) return true;
    const drained = await new Promise<boolean>((resolve) => {
      const settle = (value: boolean) => {
        clearTimeout(timer);
        client.out.off('drain', onDrain);
        client.out.off('close', onClose);
        resolve(value);
      };
      const onDrain = () => settle(true);
      const onClose = () => settle(false);
      const timer = setTimeout(() => settle(false), this.config.streamDrainTimeoutMs);
      client.out.once('drain', onDrain);
      client.out.once('close', onClose);
    });
    if (drained) return !client.closed;
    if (!client.closed) this.cutOff(client, `its connection took no data for ${this.config.streamDrainTimeoutMs} ms`);
    return false;
  }

  /** Tells a client to reconnect and ends its stream; a socket that takes nothing more is destroyed after the drain timeout. */
  private cutOff(client: Client, reason: string): void {
    this.forget(client);
    const who = client.reader.kind === 'runner' ? `runner "${client.reader.name}"` : 'an admin';
    this.logger.warn(`Cut off the event stream of ${who}: ${reason}; it can resume with Last-Event-ID`);
    client.out.end(`retry: ${SSE_RETRY_MS}\nevent: reconnect\ndata: ${JSON.stringify({ reason: `The stream was ended because ${reason}; reconnect with Last-Event-ID` })}\n\n`);
    setTimeout(() => client.out.destroy(), this.config.streamDrainTimeoutMs).unref();
  }

  /** Heartbeats for proxies; and a runner revoked or rescoped since it connected is asked to reconnect. */
  private async beat(): Promise<void> {
    const runnerIds = [...this.clients].flatMap((client) => (client.reader.kind === 'runner' ? [client.reader.runnerId] : []));
    let scopes: Map<string, string[] | null> | undefined;
    try {
      scopes = runnerIds.length > 0 ? await this.runners.scopes(runnerIds) : new Map();
    } catch (err) {
      this.logger.warn(`Checking the runners of the event stream failed: ${(err as Error).message}`);
    }
    for (const client of this.clients) {
      const reader = client.reader;
      if (scopes && reader.kind === 'runner' && !sameScope(scopes, reader.runnerId, reader.providerIds)) {
        this.cutOff(client, scopes.has(reader.runnerId) ? 'the runner\'s providers changed' : 'the runner token was revoked');
      } else if (!client.busy) {
        client.busy = true;
        void this.write(client, HEARTBEAT).finally(() => {
          client.busy = false;
          void this.pump(client);
        });
      }
    }
  }
}

function sameScope(scopes: Map<string, string[] | null>, runnerId: string, providerIds: string[] | null): boolean {
  if (!scopes.has(runnerId)) return false;
  const now = scopes.get(runnerId) ?? null;
  if (now === null || providerIds === null) return now === providerIds;
  return now.length === providerIds.length && now.every((id) => providerIds.includes(id));
}
