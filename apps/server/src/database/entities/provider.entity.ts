import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { AnswerMode, FixedAnswer } from '../../../../../libs/engine/src';
import type { WebhookDescriptor } from '../../../../../libs/providers/src';

@Entity('providers')
export class ProviderEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text', unique: true })
  name!: string;

  @Column({ type: 'text', default: '' })
  description!: string;

  @Column({ type: 'integer' })
  priority!: number;

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  @Column({ name: 'match_script', type: 'text' })
  matchScript!: string;

  @Column({ name: 'verification_scheme', type: 'text', default: 'none' })
  verificationScheme!: string;

  /** AES-256-GCM sealed; never leaves the server. */
  @Column({ name: 'secret_sealed', type: 'text', nullable: true })
  secretSealed!: string | null;

  @Column({ name: 'previous_secret_sealed', type: 'text', nullable: true })
  previousSecretSealed!: string | null;

  @Column({ name: 'previous_secret_expires_at', type: 'timestamptz', nullable: true })
  previousSecretExpiresAt!: Date | null;

  @Column({ name: 'verification_options', type: 'jsonb', default: () => "'{}'" })
  verificationOptions!: Record<string, unknown>;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  properties!: Record<string, string>;

  /** Name → value sealed with the master key; opened only to hand to scripts as `provider.secrets`. */
  @Column({ name: 'secret_properties', type: 'jsonb', default: () => "'{}'" })
  secretProperties!: Record<string, string>;

  /** Set on the providers seeded from scripts/builtin; "reset to built-in" restores from it. */
  @Column({ name: 'builtin_key', type: 'text', nullable: true, unique: true })
  builtinKey!: string | null;

  @Column({ name: 'event_format', type: 'text', default: 'none' })
  eventFormat!: string;

  /** What the provider was made from, when it was made from a descriptor; the `descriptor` event format reads its event source. */
  @Column({ type: 'jsonb', nullable: true })
  descriptor!: WebhookDescriptor | null;

  /** How its webhooks are answered; functions may override it. */
  @Column({ name: 'answer_mode', type: 'text', default: 'async' })
  answerMode!: AnswerMode;

  /** In respond mode: how long a sender waits for the first respond() before it gets a 202. */
  @Column({ name: 'respond_timeout_ms', type: 'integer', default: 3000 })
  respondTimeoutMs!: number;

  /** Sent in place of the 202 in async mode, or null for the usual answer. */
  @Column({ name: 'fixed_answer', type: 'jsonb', nullable: true })
  fixedAnswer!: FixedAnswer | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
