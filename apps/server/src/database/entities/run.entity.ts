import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { EarlierAttempt, RunScmPoll, RunStatus, RunTrigger } from '../../automations/automation-view';

export { RUN_STATUSES, RUN_TRIGGERS, type RunStatus, type RunTrigger } from '../../automations/automation-constants';
export type { EarlierAttempt, RunScmPoll } from '../../automations/automation-view';

@Entity('runs')
export class RunEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'automation_id', type: 'uuid' })
  automationId!: string;

  @Column({ name: 'automation_name', type: 'text' })
  automationName!: string;

  @Column({ type: 'text' })
  trigger!: RunTrigger;

  /** What the poll saw, for a run started (or skipped) by one. */
  @Column({ name: 'scm_poll', type: 'jsonb', nullable: true })
  scmPoll!: RunScmPoll | null;

  /** The commit the run is for: a poll's new SHA, or the commit of a webhook delivery to an automation that polls. */
  @Column({ name: 'commit_sha', type: 'text', nullable: true })
  commitSha!: string | null;

  @Column({ name: 'message_id', type: 'uuid', nullable: true })
  messageId!: string | null;

  @Column({ name: 'function_id', type: 'uuid', nullable: true })
  functionId!: string | null;

  @Column({ name: 'endpoint_id', type: 'uuid', nullable: true })
  endpointId!: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  vars!: Record<string, unknown>;

  @Column({ type: 'text' })
  status!: RunStatus;

  @Column({ name: 'status_reason', type: 'text', nullable: true })
  statusReason!: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  rendered!: Record<string, unknown>;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  warnings!: string[];

  @Column({ type: 'jsonb', nullable: true })
  output!: Record<string, unknown> | null;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  /** Retries made after failed attempts; `attempts` counts interrupted ones. */
  @Column({ type: 'integer', default: 0 })
  retries!: number;

  @Column({ name: 'earlier_attempts', type: 'jsonb', default: () => "'[]'" })
  earlierAttempts!: EarlierAttempt[];

  /** A pending run retried after a failure waits until this time. */
  @Column({ name: 'next_attempt_at', type: 'timestamptz', nullable: true })
  nextAttemptAt!: Date | null;

  @Column({ name: 'locked_by', type: 'text', nullable: true })
  lockedBy!: string | null;

  @Column({ name: 'locked_until', type: 'timestamptz', nullable: true })
  lockedUntil!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}
