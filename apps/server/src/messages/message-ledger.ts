import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { GroupCommit, type MessageStatus, type MessageTrace, type ScriptEvent, type TriggeredBy } from '../../../../libs/engine/src';
import type { AppConfig } from '../config';
import { CONFIG, DATA_SOURCE } from '../common/tokens';
import { UnavailableError } from '../common/errors';
import type { MessageEntity } from '../database/entities/message.entity';
import { storableJsonText, storableText } from '../database/storable';
import { Metrics } from '../metrics/metrics';
import { MessageWrites, submitOrWriteAlone, togetherOrEach, writeBatching } from './message-writes';

/** A message as first written: identified already, with its final ingress status and trace. */
export interface NewMessage {
  id: string;
  receivedAt: Date;
  method: string;
  uri: string;
  path: string;
  query: Record<string, string | string[]>;
  headers: Record<string, string>;
  credentialsSealed: string | null;
  body: Buffer;
  contentType: string | null;
  sourceAddress: string | null;
  status: MessageStatus;
  statusReason: string | null;
  providerId: string | null;
  providerName: string | null;
  eventType: string | null;
  event: ScriptEvent | null;
  deliveryId: string | null;
  endpointId: string | null;
  httpStatus: number | null;
  sync: boolean;
  triggeredBy: TriggeredBy;
  resubmittedFrom: string | null;
  trace: MessageTrace;
  attempts: number;
  lockedBy: string | null;
  lockedUntil: Date | null;
  finishedAt: Date | null;
}

/** Claim the sender's delivery id for this message, unless a message accepted within `windowMs` before it holds it. */
export interface DeliveryClaim {
  providerId: string;
  deliveryId: string;
  windowMs: number;
}

export interface Accepted {
  /** The row as written: the given one, or its duplicate form. */
  row: NewMessage;
  /** Set when the delivery was already accepted: the earlier message's id. */
  duplicateOf: string | null;
}

/** The end of an attempt: processed, failed or dead, with the trace and anything else to record. */
export type FinalChanges = Partial<Pick<MessageEntity, 'statusReason' | 'httpStatus' | 'providerId' | 'providerName'>>;

const COLUMNS = `id, received_at, method, uri, path, query, headers, credentials_sealed, body, content_type, source_address,
  status, status_reason, provider_id, provider_name, event_type, event, delivery_id, endpoint_id, http_status, sync,
  triggered_by, resubmitted_from, trace, attempts, locked_by, locked_until, finished_at`;
const COLUMN_COUNT = 28;
/** One multi-row INSERT for `rows` messages, raw parameterised SQL that PGlite and PostgreSQL take alike. */
function insertMessages(rows: number): string {
  const tuples = Array.from({ length: rows }, (_, row) => `(${Array.from({ length: COLUMN_COUNT }, (_, i) => `$${row * COLUMN_COUNT + i + 1}`).join(', ')})`);
  return `INSERT INTO messages (${COLUMNS}) VALUES ${tuples.join(', ')}`;
}
const INSERT_MESSAGE = insertMessages(1);

interface Arrival {
  row: NewMessage;
  claim?: DeliveryClaim;
}

/**
 * Claims a batch's delivery ids in one statement. Two arrivals of one id take the row lock on
 * (provider_id, delivery_id); the second waits for the first to commit, then finds its message
 * there. A row older than the dedup window is taken over, so each returned row names the message
 * that now owns the delivery: this one, or the earlier one. The ids go in a fixed order, so two
 * batches claiming the same ids cannot deadlock.
 */
const CLAIM_DELIVERIES = `
  INSERT INTO deliveries (provider_id, delivery_id, message_id, received_at)
  SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::timestamptz[])
  ON CONFLICT (provider_id, delivery_id) DO UPDATE SET
    message_id = CASE WHEN deliveries.received_at < EXCLUDED.received_at - $5::double precision * interval '1 millisecond'
                      THEN EXCLUDED.message_id ELSE deliveries.message_id END,
    received_at = CASE WHEN deliveries.received_at < EXCLUDED.received_at - $5::double precision * interval '1 millisecond'
                       THEN EXCLUDED.received_at ELSE deliveries.received_at END
  RETURNING provider_id, delivery_id, message_id`;

/**
 * The one writer of a message's status, from its first write to its last. `accept` is the single
 * write on the way in; a 2xx goes out only after it resolves. New messages are group-committed:
 * those of concurrent requests share one transaction, with one multi-row INSERT (GroupCommit,
 * HOOKLINE_WRITE_BATCH and HOOKLINE_WRITE_DELAY); the end of processing goes through MessageWrites.
 */
@Injectable()
export class MessageLedger implements OnApplicationShutdown {
  private readonly logger = new Logger('Messages');
  private readonly arrivals: GroupCommit<Arrival, Accepted | Error>;

  constructor(
    @Inject(DATA_SOURCE) private readonly db: DataSource,
    private readonly writes: MessageWrites,
    private readonly metrics: Metrics,
    @Inject(CONFIG) config: AppConfig,
  ) {
    this.arrivals = new GroupCommit({
      ...writeBatching(config),
      // A few large bodies make a statement of their own rather than one that all of them wait for.
      maxBatchBytes: config.writeBatchBytes,
      sizeOf: (arrival) => arrival.row.body.length,
      flush: (arrivals) => togetherOrEach(arrivals, (batch) => this.db.transaction((tx) => acceptAll(tx, batch)), (arrival) => this.acceptAlone(arrival)),
    });
  }

  /**
   * Writes a new message once, claiming its delivery id in the same transaction when given. When
   * the delivery was already accepted, the message is written as a duplicate of that one instead.
   * Throws UnavailableError (a 503) when the database does not take it.
   */
  async accept(row: NewMessage, claim?: DeliveryClaim): Promise<Accepted> {
    let accepted: Accepted;
    try {
      accepted = await submitOrWriteAlone(this.arrivals, { row, claim }, (arrival) => this.acceptAlone(arrival));
    } catch (err) {
      this.logger.error(`Could not store message ${row.id}: ${err instanceof Error ? err.message : String(err)}`);
      throw new UnavailableError('The message could not be stored, so it was not accepted; send it again later');
    }
    this.metrics.messageWritten(accepted.row.status, accepted.row.trace);
    return accepted;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.arrivals.close();
  }

  private async acceptAlone({ row, claim }: Arrival): Promise<Accepted> {
    if (!claim) {
      await this.db.query(INSERT_MESSAGE, insertParams(row));
      return { row, duplicateOf: null };
    }
    return this.db.transaction(async (tx) => (await acceptAll(tx, [{ row, claim }]))[0]);
  }

  /**
   * Records the end of processing and lets go of the lease. When that write fails (a result the
   * database cannot hold), a second, minimal write marks the message failed with the reason: left
   * `processing`, its lease would run out and its functions run again. Returns that reason, or
   * undefined when the message was stored as given.
   */
  async finish(id: string, status: MessageStatus, trace: MessageTrace, extra: FinalChanges = {}): Promise<string | undefined> {
    const end = { finishedAt: new Date(), lockedBy: null, lockedUntil: null, nextAttemptAt: null };
    try {
      await this.writes.update(id, { status, trace, ...end, ...extra });
      this.metrics.messageWritten(status, trace);
      return undefined;
    } catch (err) {
      this.logger.error(`Message ${id}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      const reason = `the ${status} result could not be stored: ${err instanceof Error ? err.message : String(err)}`;
      await this.writes.update(id, { status: 'failed', statusReason: reason, ...end });
      this.metrics.messageWritten('failed', trace);
      return reason;
    }
  }

  /** Queues the message again for the functions that may retry at `nextAttemptAt`. */
  async retryLater(id: string, trace: MessageTrace, nextAttemptAt: Date, statusReason: string, extra: FinalChanges = {}): Promise<void> {
    // A retry is not a crash: the crash count (attempts) starts again for the next attempt.
    await this.writes.update(id, { ...extra, status: 'queued', statusReason, trace, nextAttemptAt, attempts: 0, lockedBy: null, lockedUntil: null });
  }
}

/**
 * Claims the batch's delivery ids, then writes every message in one INSERT. A second copy of a
 * delivery in the same batch is written as a duplicate of whichever message owns the first.
 */
async function acceptAll(tx: EntityManager, arrivals: Arrival[]): Promise<Accepted[]> {
  const owners = await claimDeliveries(tx, arrivals);
  const accepted = arrivals.map(({ row }): Accepted => {
    const owner = owners.get(row.id) ?? row.id;
    return owner === row.id ? { row, duplicateOf: null } : { row: asDuplicate(row, owner), duplicateOf: owner };
  });
  await tx.query(insertMessages(accepted.length), accepted.flatMap(({ row }) => insertParams(row)));
  return accepted;
}

/** The owner of each claimed delivery, by the id of the arriving message. */
async function claimDeliveries(tx: EntityManager, arrivals: Arrival[]): Promise<Map<string, string>> {
  const keyOf = (claim: DeliveryClaim) => `${claim.providerId}\u0000${claim.deliveryId}`;
  const firsts = new Map<string, Arrival>();
  for (const arrival of arrivals) if (arrival.claim && !firsts.has(keyOf(arrival.claim))) firsts.set(keyOf(arrival.claim), arrival);
  const owners = new Map<string, string>();
  if (firsts.size === 0) return owners;
  const claiming = [...firsts.values()].sort((a, b) => compareClaims(a.claim!, b.claim!));
  const ownerOf = new Map<string, string>();
  // One window per process (HOOKLINE_DEDUP_WINDOW); a batch that mixed them would claim in several statements.
  for (const windowMs of new Set(claiming.map(({ claim }) => claim!.windowMs))) {
    const group = claiming.filter(({ claim }) => claim!.windowMs === windowMs);
    const rows: Array<{ provider_id: string; delivery_id: string; message_id: string }> = await tx.query(CLAIM_DELIVERIES, [
      group.map(({ claim }) => claim!.providerId),
      group.map(({ claim }) => claim!.deliveryId),
      group.map(({ row }) => row.id),
      group.map(({ row }) => row.receivedAt),
      windowMs,
    ]);
    for (const row of rows) ownerOf.set(keyOf({ providerId: row.provider_id, deliveryId: row.delivery_id, windowMs }), row.message_id);
  }
  for (const { row, claim } of arrivals) if (claim) owners.set(row.id, ownerOf.get(keyOf(claim)) as string);
  return owners;
}

function compareClaims(a: DeliveryClaim, b: DeliveryClaim): number {
  return a.providerId < b.providerId ? -1 : a.providerId > b.providerId ? 1 : a.deliveryId < b.deliveryId ? -1 : a.deliveryId > b.deliveryId ? 1 : 0;
}

/** The row written for a redelivery of an accepted delivery: stored, answered 200, never run. */
export function asDuplicate(row: NewMessage, earlier: string): NewMessage {
  const at = new Date();
  return {
    ...row,
    status: 'duplicate',
    statusReason: `delivery ${row.deliveryId} was already accepted as message ${earlier}`,
    httpStatus: 200,
    trace: { ...row.trace, duplicateOf: earlier, answer: { status: 200, at: at.toISOString(), by: 'engine' } },
    attempts: 0,
    lockedBy: null,
    lockedUntil: null,
    finishedAt: at,
  };
}

function insertParams(row: NewMessage): unknown[] {
  const text = (value: string | null) => (value === null ? null : storableText(value));
  return [
    row.id,
    row.receivedAt,
    text(row.method),
    text(row.uri),
    text(row.path),
    storableJsonText(row.query),
    storableJsonText(row.headers),
    row.credentialsSealed,
    row.body,
    text(row.contentType),
    text(row.sourceAddress),
    row.status,
    text(row.statusReason),
    row.providerId,
    text(row.providerName),
    text(row.eventType),
    row.event === null ? null : storableJsonText(row.event),
    text(row.deliveryId),
    row.endpointId,
    row.httpStatus,
    row.sync,
    row.triggeredBy,
    row.resubmittedFrom,
    storableJsonText(row.trace),
    row.attempts,
    row.lockedBy,
    row.lockedUntil,
    row.finishedAt,
  ];
}
