import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type TaskStatus = 'pending' | 'claimed' | 'succeeded' | 'failed';

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

  @Column({ type: 'text', default: 'pending' })
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
}
