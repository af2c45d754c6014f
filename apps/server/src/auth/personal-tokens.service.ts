import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DataSource, type Repository } from 'typeorm';
import { z } from 'zod';
import { NotFoundError, ValidationFailedError } from '../common/errors';
import { isUuid, tokenHash } from '../common/ids';
import { DATA_SOURCE } from '../common/tokens';
import { validate } from '../common/validate';
import { PersonalTokenEntity } from '../database/entities/personal-token.entity';
import type { CreatedPersonalTokenView, PersonalTokenView } from '../users/user-view';
import type { Role } from './roles';

/** Personal tokens start with this, so that a leaked one is recognised (and secret scanners can match it). */
export const PERSONAL_TOKEN_PREFIX = 'hlp_';

const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_DAYS = 3650;

export const CreateTokenInput = z.strictObject({
  name: z.string({ error: 'is required' }).trim().min(1, 'is required').max(200, 'must be at most 200 characters'),
  expiresInDays: z
    .number({ error: `must be a whole number of days from 1 to ${MAX_DAYS}` })
    .int(`must be a whole number of days from 1 to ${MAX_DAYS}`)
    .min(1, `must be a whole number of days from 1 to ${MAX_DAYS}`)
    .max(MAX_DAYS, `must be a whole number of days from 1 to ${MAX_DAYS}`)
    .optional(),
  expiresAt: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time such as 2027-01-31T00:00:00Z' }).optional(),
});

export type TokenStatus = PersonalTokenView['status'];

/** Who a token acts for, or why it does not. */
export type TokenIdentity = { user: { id: string; username: string; role: Role; tokenId: string } } | { refusal: string };

// Writing last-used on every request would turn each read into a write; a minute is precise enough to spot an unused token.
const LAST_USED_PRECISION = `interval '1 minute'`;

/** Personal API tokens: shown once at creation, kept as their SHA-256, revoked rather than deleted so the list keeps their history. */
@Injectable()
export class PersonalTokensService {
  private readonly rows: Repository<PersonalTokenEntity>;

  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {
    this.rows = db.getRepository(PersonalTokenEntity);
  }

  async create(userId: string, body: unknown): Promise<CreatedPersonalTokenView> {
    const input = validate(CreateTokenInput, body);
    const expiresAt = expiryOf(input);
    const token = `${PERSONAL_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const row = await this.rows.save(this.rows.create({ userId, name: input.name, tokenHash: tokenHash(token), expiresAt }));
    return { ...viewOf(row), token };
  }

  async list(userId: string) {
    return (await this.rows.find({ where: { userId }, order: { createdAt: 'DESC' } })).map(viewOf);
  }

  /** Any user's token by its id, as its owner's list shows it (for the audit log's before and after). */
  async get(id: string): Promise<PersonalTokenView> {
    const row = isUuid(id) ? await this.rows.findOneBy({ id }) : null;
    if (!row) throw new NotFoundError('token', id);
    return viewOf(row);
  }

  /** Revokes one of the user's tokens; revoking it again changes nothing. */
  async revoke(userId: string, id: string): Promise<void> {
    const row = isUuid(id) ? await this.rows.findOneBy({ id, userId }) : null;
    if (!row) throw new NotFoundError('token', id);
    if (!row.revokedAt) await this.rows.update({ id }, { revokedAt: new Date() });
  }

  /** The user a token acts for, with the user's current role; the lookup is by hash, so no comparison leaks timing. */
  async identify(token: string): Promise<TokenIdentity> {
    const rows: Array<{ token_id: string; expires_at: Date | null; revoked_at: Date | null; id: string; username: string; role: Role }> = await this.db.query(
      `SELECT t.id AS token_id, t.expires_at, t.revoked_at, u.id, u.username, u.role
         FROM personal_tokens t JOIN users u ON u.id = t.user_id
        WHERE t.token_hash = $1`,
      [tokenHash(token)],
    );
    const row = rows[0];
    if (!row) return { refusal: 'The personal token is unknown; create one with POST /api/users/me/tokens' };
    if (row.revoked_at) return { refusal: `The personal token was revoked on ${new Date(row.revoked_at).toISOString()}; create a new one` };
    if (row.expires_at && new Date(row.expires_at).getTime() <= Date.now()) {
      return { refusal: `The personal token expired on ${new Date(row.expires_at).toISOString()}; create a new one` };
    }
    await this.db.query(`UPDATE personal_tokens SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - ${LAST_USED_PRECISION})`, [row.token_id]);
    return { user: { id: row.id, username: row.username, role: row.role, tokenId: row.token_id } };
  }
}

function expiryOf(input: z.infer<typeof CreateTokenInput>): Date | null {
  if (input.expiresInDays !== undefined && input.expiresAt !== undefined) {
    throw new ValidationFailedError({ expiresAt: 'cannot be given with expiresInDays; give one of them, or neither for a token that does not expire' });
  }
  if (input.expiresInDays !== undefined) return new Date(Date.now() + input.expiresInDays * DAY_MS);
  if (input.expiresAt === undefined) return null;
  const at = new Date(input.expiresAt);
  if (at.getTime() <= Date.now()) throw new ValidationFailedError({ expiresAt: 'must be in the future' });
  if (at.getTime() > Date.now() + MAX_DAYS * DAY_MS) throw new ValidationFailedError({ expiresAt: `must be within ${MAX_DAYS} days` });
  return at;
}

function statusOf(row: PersonalTokenEntity): TokenStatus {
  if (row.revokedAt) return 'revoked';
  if (row.expiresAt && row.expiresAt.getTime() <= Date.now()) return 'expired';
  return 'active';
}

function viewOf(row: PersonalTokenEntity): PersonalTokenView {
  return {
    id: row.id,
    name: row.name,
    status: statusOf(row),
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}
