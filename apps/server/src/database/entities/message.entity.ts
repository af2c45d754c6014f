import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { MessageStatus, MessageTrace, ScriptEvent, TriggeredBy } from '../../../../../libs/engine/src';

@Entity('messages')
export class MessageEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;

  @Column({ type: 'text' })
  method!: string;

  @Column({ type: 'text' })
  uri!: string;

  @Column({ type: 'text' })
  path!: string;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  query!: Record<string, string | string[]>;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  headers!: Record<string, string>;

  /** Credential headers (shown as "[redacted]" in `headers`), sealed; opened only to verify. */
  @Column({ name: 'credentials_sealed', type: 'text', nullable: true })
  credentialsSealed!: string | null;

  @Column({ type: 'bytea' })
  body!: Buffer;

  @Column({ name: 'content_type', type: 'text', nullable: true })
  contentType!: string | null;

  @Column({ name: 'source_address', type: 'text', nullable: true })
  sourceAddress!: string | null;

  @Column({ type: 'text' })
  status!: MessageStatus;

  @Column({ name: 'status_reason', type: 'text', nullable: true })
  statusReason!: string | null;

  @Column({ name: 'provider_id', type: 'uuid', nullable: true })
  providerId!: string | null;

  @Column({ name: 'provider_name', type: 'text', nullable: true })
  providerName!: string | null;

  @Column({ name: 'event_type', type: 'text', nullable: true })
  eventType!: string | null;

  /** The provider's normalized event. */
  @Column({ type: 'jsonb', nullable: true })
  event!: ScriptEvent | null;

  /** The sender's delivery id, for recognising its retries. */
  @Column({ name: 'delivery_id', type: 'text', nullable: true })
  deliveryId!: string | null;

  /** Set for a delivery to a secret-token endpoint. */
  @Column({ name: 'endpoint_id', type: 'uuid', nullable: true })
  endpointId!: string | null;

  @Column({ name: 'http_status', type: 'integer', nullable: true })
  httpStatus!: number | null;

  @Column({ type: 'boolean', default: false })
  sync!: boolean;

  @Column({ name: 'triggered_by', type: 'text', default: 'webhook' })
  triggeredBy!: TriggeredBy;

  @Column({ name: 'resubmitted_from', type: 'uuid', nullable: true })
  resubmittedFrom!: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  trace!: MessageTrace;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  /** A message queued again after a function failed waits until this time. */
  @Column({ name: 'next_attempt_at', type: 'timestamptz', nullable: true })
  nextAttemptAt!: Date | null;

  @Column({ name: 'locked_by', type: 'text', nullable: true })
  lockedBy!: string | null;

  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}
