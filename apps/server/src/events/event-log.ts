import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Subject } from 'rxjs';
import type { DataSource, EntityManager } from 'typeorm';
import { CONFIG, DATA_SOURCE, NOTIFICATIONS } from '../common/tokens';
import { takesRole, type AppConfig } from '../config';
import type { Notifications } from '../database/notifications';
import { storableJsonText, storableText } from '../database/storable';

/** What a frame of the event log is about: an accepted message's normalized event, a parked task resumed, or a message for a task's inbox. */
export type EventKind = 'pluginWebhook' | 'taskResumed' | 'taskMessage';

/** One numbered row of the event log. */
export interface LoggedEvent {
  /** Monotonic, and never visible before a lower one: the stream's frame id. */
  seq: number;
  kind: EventKind;
  messageId: string | null;
  providerId: string | null;
  providerName: string | null;
  /** For `taskResumed`: the runner the frame is for. */
  runnerId: string | null;
  taskId: string | null;
  key: string | null;
  repository: string | null;
  /** `pluginWebhook`: the message's normalized event; `taskResumed`: what the frame carries. */
  event: Record<string, unknown>;
  receivedAt: Date;
}

/** A row to append; it gets its `seq` from the sequencer, after the appending transaction commits. */
export type NewLoggedEvent = Omit<LoggedEvent, 'seq' | 'receivedAt' | 'messageId' | 'providerId' | 'providerName' | 'runnerId' | 'taskId' | 'key' | 'repository'> &
  Partial<Pick<LoggedEvent, 'receivedAt' | 'messageId' | 'providerId' | 'providerName' | 'runnerId' | 'taskId' | 'key' | 'repository'>>;

interface EventRow {
  seq: string;
  kind: EventKind;
  message_id: string | null;
  provider_id: string | null;
  provider_name: string | null;
  runner_id: string | null;
  task_id: string | null;
  key: string | null;
  repository: string | null;
  event: Record<string, unknown>;
  received_at: Date | string;
}

const COLUMNS = 'seq, kind, message_id, provider_id, provider_name, runner_id, task_id, key, repository, event, received_at';

function toEvent(row: EventRow): LoggedEvent {
  return {
    seq: Number(row.seq),
    kind: row.kind,
    messageId: row.message_id,
    providerId: row.provider_id,
    providerName: row.provider_name,
    runnerId: row.runner_id,
    taskId: row.task_id,
    key: row.key,
    repository: row.repository,
    event: row.event,
    receivedAt: new Date(row.received_at),
  };
}

/** Reads and appends the event log (migration EventLog). Messages' rows are appended by a trigger. */
@Injectable()
export class EventLogRepository {
  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {}

  /** Appends rows, in `tx` when given so that they exist only if it commits. */
  async append(rows: NewLoggedEvent[], tx?: EntityManager): Promise<void> {
    if (rows.length === 0) return;
    const text = (value: string | null | undefined) => (value == null ? null : storableText(value));
    await (tx ?? this.db).query(
      `INSERT INTO event_log (kind, message_id, provider_id, provider_name, runner_id, task_id, key, repository, event, received_at)
       SELECT * FROM unnest($1::text[], $2::uuid[], $3::uuid[], $4::text[], $5::uuid[], $6::uuid[], $7::text[], $8::text[], $9::jsonb[], $10::timestamptz[])`,
      [
        rows.map((r) => r.kind),
        rows.map((r) => r.messageId ?? null),
        rows.map((r) => r.providerId ?? null),
        rows.map((r) => text(r.providerName)),
        rows.map((r) => r.runnerId ?? null),
        rows.map((r) => r.taskId ?? null),
        rows.map((r) => text(r.key)),
        rows.map((r) => text(r.repository)),
        rows.map((r) => storableJsonText(r.event)),
        rows.map((r) => r.receivedAt ?? new Date()),
      ],
    );
  }

  /** Numbered rows after `seq`, oldest first. */
  async after(seq: number, limit: number): Promise<LoggedEvent[]> {
    const rows: EventRow[] = await this.db.query(`SELECT ${COLUMNS} FROM event_log WHERE seq > $1 ORDER BY seq LIMIT $2`, [seq, limit]);
    return rows.map(toEvent);
  }

  /** The highest number given so far, or 0. */
  async head(): Promise<number> {
    const [row]: Array<{ seq: string | null }> = await this.db.query(`SELECT max(seq) AS seq FROM event_log`);
    return Number(row?.seq ?? 0);
  }

  /** The lowest number still kept (older ones were removed by retention), or null when the log is empty. */
  async oldest(): Promise<number | null> {
    const [row]: Array<{ seq: string | null }> = await this.db.query(`SELECT min(seq) AS seq FROM event_log WHERE seq IS NOT NULL`);
    return row?.seq == null ? null : Number(row.seq);
  }

  /** The highest number retention has removed, or 0: a reader that resumes below it has missed frames. */
  async removedThrough(): Promise<number> {
    const [row]: Array<{ removed_through: string }> = await this.db.query(`SELECT removed_through FROM event_log_horizon`);
    return Number(row?.removed_through ?? 0);
  }

  /**
   * Removes the rows numbered before `before`, oldest first, `batch` per statement; answers how
   * many. The horizon moves first: a reader resuming in between is told of a gap it may not have
   * (and still gets every row that is left), never left without one it has.
   */
  async prune(before: Date, batch: number): Promise<number> {
    // By number, not by time: numbering times can be out of order by a transaction's start.
    const [bound]: Array<{ seq: string | null }> = await this.db.query(`SELECT max(seq) AS seq FROM event_log WHERE sequenced_at < $1`, [before]);
    if (bound?.seq == null) return 0;
    await this.db.query(`UPDATE event_log_horizon SET removed_through = GREATEST(removed_through, $1)`, [bound.seq]);
    let removed = 0;
    for (;;) {
      const [rows]: [unknown[], number] = await this.db.query(
        `DELETE FROM event_log WHERE id IN (SELECT id FROM event_log WHERE seq <= $1 ORDER BY seq LIMIT ${batch}) RETURNING id`,
        [bound.seq],
      );
      removed += rows.length;
      if (rows.length < batch) return removed;
      // Let ingest's queries in between batches.
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /**
   * Numbers up to `limit` appended rows and hands them to `withinTransaction` before the
   * transaction commits. The advisory lock is held until commit, so numbering transactions of
   * every server commit one after the other, in the order of their numbers.
   */
  async sequence(limit: number, withinTransaction: (tx: EntityManager, events: LoggedEvent[]) => Promise<void>): Promise<LoggedEvent[]> {
    return this.db.transaction(async (tx) => {
      await tx.query(`SELECT pg_advisory_xact_lock(${SEQUENCER_LOCK})`);
      // An UPDATE ... RETURNING answers [rows, count] through TypeORM, not the rows alone.
      const [rows]: [EventRow[], number] = await tx.query(
        `UPDATE event_log SET seq = nextval('event_log_seq'), sequenced_at = now()
          WHERE id IN (SELECT id FROM event_log WHERE seq IS NULL ORDER BY id LIMIT $1)
          RETURNING ${COLUMNS}`,
        [limit],
      );
      const events = rows.map(toEvent).sort((a, b) => a.seq - b.seq);
      if (events.length > 0) await withinTransaction(tx, events);
      return events;
    });
  }
}

/** The advisory lock the sequencer holds; a fixed number of its own ('hkl' + 'seq'). */
const SEQUENCER_LOCK = 0x686b6c_736571;

/** Rows numbered per transaction. */
const BATCH = 500;
/** How often the log is looked at without a notification (a lost one, or a sequencer that failed). */
const POLL_MS = 1_000;

/** Runs inside the numbering transaction: what it writes commits with the numbers, or neither does. */
export type SequencedHook = (tx: EntityManager, events: LoggedEvent[]) => Promise<void>;

/**
 * Numbers the event log's new rows, in every process with the ingress or worker role (they take
 * turns under the lock), and tells this process's readers when numbers were given. Hooks (parked
 * tasks' matching, which runs `where` scripts) run inside the numbering transaction, so an event
 * is matched exactly once, by whichever server numbered it. A scheduler-only process appends rows
 * (polled pushes) and leaves their numbering to the others, woken by the database's notification.
 */
@Injectable()
export class EventSequencer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('EventLog');
  private readonly hooks: SequencedHook[] = [];
  /** The highest number this process gave, or learned of, after each commit. */
  readonly sequenced$ = new Subject<number>();
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;
  private readonly isSequencing: boolean;

  constructor(
    private readonly log: EventLogRepository,
    @Inject(NOTIFICATIONS) notifications: Notifications,
    @Inject(CONFIG) config: AppConfig,
  ) {
    this.isSequencing = takesRole(config, 'ingress') || takesRole(config, 'worker');
    notifications.on('hookline_events', () => void this.poke());
    // Another server numbered rows: readers here look for them.
    notifications.on('hookline_events_sequenced', () => this.sequenced$.next(0));
  }

  /** Adds a hook that sees every numbered batch inside its transaction. */
  onSequenced(hook: SequencedHook): void {
    this.hooks.push(hook);
  }

  onApplicationBootstrap(): void {
    if (!this.isSequencing) return;
    void this.poke();
    this.timer = setInterval(() => void this.poke(), POLL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
    this.sequenced$.complete();
  }

  /** Numbers whatever waits, now or right after the current round. Resolves when the log is numbered. */
  poke(): Promise<void> {
    if (this.stopped || !this.isSequencing) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.drain().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async drain(): Promise<void> {
    do {
      this.again = false;
      let events: LoggedEvent[];
      try {
        events = await this.log.sequence(BATCH, async (tx, batch) => {
          for (const hook of this.hooks) await hook(tx, batch);
          await tx.query(`SELECT pg_notify('hookline_events_sequenced', '')`);
        });
      } catch (err) {
        if (!this.stopped) this.logger.error(`Could not number new events (trying again): ${err instanceof Error ? err.message : String(err)}`);
        return;
      }
      if (events.length > 0) this.sequenced$.next(events[events.length - 1].seq);
      if (events.length === BATCH) this.again = true;
    } while (this.again && !this.stopped);
  }
}
