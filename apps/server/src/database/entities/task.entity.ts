import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

import type { TaskWait } from '../../../../../libs/engine/src';

export const TASK_STATUSES = ['queued', 'claimed', 'parked', 'succeeded', 'failed'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** What resumed a parked task: an event, an operator, or its deadline. */
export type ResumedBy =
  | { messageId: string | null; provider: string | null; providerName: string | null; event: Record<string, unknown>; at: string }
  | { operator: string; message: string | null; at: string }
  | { timeout: true; waitedFor: TaskWait[]; at: string };

/** A message for the task's runner, from an operator. */
export interface InboxMessage {
  id: string;
  text: string;
  at: string;
  by: string;
}

/** Why a task changed state. */
export type TaskCause =
  | { cause: 'automation'; runId: string }
  | { cause: 'runner'; runnerId: string; runner: string }
  | { cause: 'event'; messageId: string | null; providerName: string | null; key: string }
  | { cause: 'operator'; user: string }
  | { cause: 'timeout'; onTimeout: 'fail' | 'resume' };

/** One state change of a task. */
export type TaskHistoryEntry = TaskCause & { status: TaskStatus; at: string };

@Entity('tasks')
export class TaskEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'run_id', type: 'uuid' })
  runId!: string;

  @Column({ name: 'automation_id', type: 'uuid' })
  automationId!: string;

  @Column({ name: 'message_id', type: 'uuid', nullable: true })
  messageId!: string | null;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text', default: '' })
  instructions!: string;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  params!: Record<string, unknown>;

  /** The payload as the run saw it when it has no message (a manual or scheduled run). */
  @Column({ type: 'jsonb', nullable: true })
  payload!: unknown;

  /** Environment variables the runner should set for the task (a poll-triggered run's `<REPO>_SHA` and the like). */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  env!: Record<string, string>;

  @Column({ type: 'text', default: 'queued' })
  status!: TaskStatus;

  @Column({ name: 'runner_id', type: 'uuid', nullable: true })
  runnerId!: string | null;

  @Column({ name: 'claimed_at', type: 'timestamptz', nullable: true })
  claimedAt!: Date | null;

  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true })
  completedAt!: Date | null;

  @Column({ type: 'jsonb', nullable: true })
  output!: unknown;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** The runner that parked the task; its claim ends when it parks. */
  @Column({ name: 'parked_by', type: 'uuid', nullable: true })
  parkedBy!: string | null;

  @Column({ name: 'parked_at', type: 'timestamptz', nullable: true })
  parkedAt!: Date | null;

  /** The conditions of the latest park, as the runner sent them. */
  @Column({ name: 'wait_for', type: 'jsonb', nullable: true })
  waitFor!: TaskWait[] | null;

  /** A parked task's deadline. */
  @Column({ name: 'wait_until', type: 'timestamptz', nullable: true })
  waitUntil!: Date | null;

  @Column({ name: 'on_timeout', type: 'text', nullable: true })
  onTimeout!: 'fail' | 'resume' | null;

  @Column({ name: 'resumed_by', type: 'jsonb', nullable: true })
  resumedBy!: ResumedBy | null;

  @Column({ name: 'resumed_by_message_id', type: 'uuid', nullable: true })
  resumedByMessageId!: string | null;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  inbox!: InboxMessage[];

  @Column({ type: 'jsonb', default: () => "'[]'" })
  history!: TaskHistoryEntry[];
}
