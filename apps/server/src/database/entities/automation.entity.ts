import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { StoredRetryPolicy, StoredScmPoll } from '../../../../../libs/engine/src';
import type { AutomationTarget, FailureEvent } from '../../automations/automation-view';

export { FAILURE_EVENTS, type FailureEvent } from '../../automations/automation-constants';
export type { AutomationTarget } from '../../automations/automation-view';

@Entity('automations')
export class AutomationEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text', unique: true })
  name!: string;

  @Column({ type: 'text', default: '' })
  description!: string;

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  /** A cron expression, or null for webhook-only. */
  @Column({ type: 'text', nullable: true })
  schedule!: string | null;

  @Column({ name: 'time_zone', type: 'text', default: 'UTC' })
  timeZone!: string;

  @Column({ type: 'jsonb' })
  target!: AutomationTarget;

  /** Fields left out take the defaults of the target's kind. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  retry!: StoredRetryPolicy;

  /** Failure events that start a run of this automation. */
  @Column({ type: 'jsonb', default: () => "'[]'" })
  events!: FailureEvent[];

  /** Poll a Git host on the schedule and run only when a watched branch moved; null runs on every tick. */
  @Column({ name: 'scm_poll', type: 'jsonb', nullable: true })
  scmPoll!: StoredScmPoll | null;

  @Column({ name: 'next_run_at', type: 'timestamptz', nullable: true })
  nextRunAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
