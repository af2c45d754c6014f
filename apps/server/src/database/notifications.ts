import { Logger } from '@nestjs/common';
import type { PGlite } from '@electric-sql/pglite';
import { Client } from 'pg';

/**
 * Channels the database NOTIFYs on, from triggers (migration QueueNotifications): a message became
 * `queued`; providers or functions changed; rows were appended to the event log, or numbered (migration
 * EventLog); a run became `pending` (migration RunNotifications). A trigger covers every writer, and PostgreSQL sends the
 * notification when the writing transaction commits, never before.
 */
export const NOTIFICATION_CHANNELS = ['hookline_queue', 'hookline_catalog', 'hookline_events', 'hookline_events_sequenced', 'hookline_runs'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

/** The database's notifications: on PostgreSQL those of every server on it, on PGlite this process's own. */
export interface Notifications {
  /**
   * Calls `handler` on each notification on `channel`, and also after the listening connection was
   * lost and made again, since notifications may have been missed in between.
   */
  on(channel: NotificationChannel, handler: () => void): void;
  close(): Promise<void>;
}

/** For tools that open the database without serving: nothing is listened for. */
export const NO_NOTIFICATIONS: Notifications = { on: () => undefined, close: async () => undefined };

class Handlers {
  private readonly byChannel = new Map<string, Array<() => void>>();

  on(channel: NotificationChannel, handler: () => void): void {
    this.byChannel.set(channel, [...(this.byChannel.get(channel) ?? []), handler]);
  }

  emit(channel: string): void {
    for (const handler of this.byChannel.get(channel) ?? []) handler();
  }

  emitAll(): void {
    for (const channel of NOTIFICATION_CHANNELS) this.emit(channel);
  }
}

/**
 * PGlite delivers NOTIFY to listeners in this process. Call before anything else uses the
 * session: LISTEN issued inside another caller's transaction would share its fate.
 */
export async function listenOnPglite(db: PGlite): Promise<Notifications> {
  const handlers = new Handlers();
  for (const channel of NOTIFICATION_CHANNELS) await db.listen(channel, () => handlers.emit(channel));
  return { on: (channel, handler) => handlers.on(channel, handler), close: async () => undefined };
}

const RECONNECT_MS = 1_000;

/** LISTEN on PostgreSQL through a connection of its own (a pooled one may be handed to anyone), made again when lost. */
export class PgListener implements Notifications {
  private readonly handlers = new Handlers();
  private readonly logger = new Logger('Notifications');
  private current?: Client;
  private retry?: NodeJS.Timeout;
  private closed = false;
  /** The connection was lost (or never made): notifications may have been missed. */
  private missed = false;

  constructor(private readonly url: string) {}

  /** Connects once; if that fails, says so and keeps trying in the background (polling covers the gap). */
  async start(): Promise<void> {
    await this.connect();
  }

  on(channel: NotificationChannel, handler: () => void): void {
    this.handlers.on(channel, handler);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    const client = this.current;
    this.current = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.url, application_name: 'hookline-listen' });
    this.current = client;
    client.on('notification', (notification) => this.handlers.emit(notification.channel));
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(NOTIFICATION_CHANNELS.map((channel) => `LISTEN ${channel}`).join('; '));
    } catch (err) {
      this.lost(client, err);
      await client.end().catch(() => undefined);
      return;
    }
    if (this.current !== client) return;
    if (this.missed) {
      this.missed = false;
      this.logger.log('Listening for notifications again');
      this.handlers.emitAll();
    }
  }

  private lost(client: Client, err?: unknown): void {
    if (this.closed || this.current !== client) return;
    this.current = undefined;
    this.missed = true;
    const reason = err instanceof Error ? err.message : 'the connection ended';
    this.logger.warn(`Not listening for notifications (${reason}); trying again in ${RECONNECT_MS} ms, and polling meanwhile`);
    this.retry = setTimeout(() => {
      this.retry = undefined;
      if (!this.closed) void this.connect();
    }, RECONNECT_MS);
  }
}
