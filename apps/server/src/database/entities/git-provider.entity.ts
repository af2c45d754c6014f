import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { GitProviderKind } from '../../../../../libs/engine/src/scm-hosts';

/** A Git host Hookline polls, with its credentials sealed. */
@Entity('git_providers')
export class GitProviderEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** What automations name it by (`scmPoll.providerName`). */
  @Column({ type: 'text', unique: true })
  name!: string;

  @Column({ type: 'text' })
  kind!: GitProviderKind;

  /** GitHub's API base or the Azure DevOps organisation URL; null for `git`. */
  @Column({ name: 'base_url', type: 'text', nullable: true })
  baseUrl!: string | null;

  /** The remote of a `git` provider, without credentials. */
  @Column({ name: 'remote_url', type: 'text', nullable: true })
  remoteUrl!: string | null;

  @Column({ type: 'text', nullable: true })
  username!: string | null;

  /** The token or PAT, sealed with the master key; never returned. */
  @Column({ name: 'token_sealed', type: 'text', nullable: true })
  tokenSealed!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
