import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** A secret-token URL for senders that need nothing but a URL. */
@Entity('endpoints')
export class EndpointEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text', unique: true })
  name!: string;

  @Column({ type: 'text', default: '' })
  description!: string;

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  /** SHA-256 of the token: lookups go by hash, so no comparison leaks how much of a token matched. */
  @Column({ name: 'token_hash', type: 'text', unique: true })
  tokenHash!: string;

  /** The token's first characters, to tell endpoints apart; the token is shown only once. */
  @Column({ name: 'token_prefix', type: 'text', default: '' })
  tokenPrefix!: string;

  @Column({ name: 'verification_scheme', type: 'text', default: 'none' })
  verificationScheme!: string;

  @Column({ name: 'secret_sealed', type: 'text', nullable: true })
  secretSealed!: string | null;

  @Column({ name: 'verification_options', type: 'jsonb', default: () => "'{}'" })
  verificationOptions!: Record<string, unknown>;

  @Column({ name: 'automation_ids', type: 'jsonb', default: () => "'[]'" })
  automationIds!: string[];

  @Column({ name: 'cooldown_seconds', type: 'integer', default: 0 })
  cooldownSeconds!: number;

  @Column({ name: 'last_accepted_at', type: 'timestamptz', nullable: true })
  lastAcceptedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
