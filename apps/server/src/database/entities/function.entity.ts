import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { AnswerMode, StoredRetryPolicy } from '../../../../../libs/engine/src';

@Entity('functions')
@Index('functions_provider_uri', ['providerId', 'uri'])
export class FunctionEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'provider_id', type: 'uuid' })
  providerId!: string;

  @Column({ type: 'text' })
  uri!: string;

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  @Column({ type: 'text', default: '' })
  script!: string;

  @Column({ type: 'text', nullable: true })
  condition!: string | null;

  @Column({ name: 'timeout_ms', type: 'integer', default: 5000 })
  timeoutMs!: number;

  /** Automations this function may start; with an empty script it starts all of them. */
  @Column({ name: 'automation_ids', type: 'jsonb', default: () => "'[]'" })
  automationIds!: string[];

  /** Fields left out take the defaults (no retries). */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  retry!: StoredRetryPolicy;

  /** Overrides its provider's answer mode; null takes the provider's. */
  @Column({ name: 'answer_mode', type: 'text', nullable: true })
  answerMode!: AnswerMode | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
