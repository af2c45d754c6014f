import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** An outside worker that claims tasks; only the SHA-256 of its token is kept. */
@Entity('runners')
export class RunnerEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ name: 'token_hash', type: 'text', unique: true })
  tokenHash!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** The providers whose events this runner sees (its stream, its parked tasks); null for every provider. */
  @Column({ name: 'provider_ids', type: 'jsonb', nullable: true })
  providerIds!: string[] | null;

  @Column({ name: 'last_seen_at', type: 'timestamptz', nullable: true })
  lastSeenAt!: Date | null;
}
