import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { z } from 'zod';
import { ROLES, type Role } from '../auth/roles';
import { ConflictError, NotFoundError } from '../common/errors';
import { isUuid } from '../common/ids';
import { DATA_SOURCE } from '../common/tokens';
import { validate } from '../common/validate';
import { UserEntity } from '../database/entities/user.entity';
import { hashPassword } from '../security/passwords';
import type { UserView } from './user-view';

const USERNAME_RULE = 'must be 1 to 64 lower-case letters, digits, ".", "_" or "-", starting with a letter or digit';
const Username = z.string({ error: 'is required' }).regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, USERNAME_RULE);
const RoleName = z.enum(ROLES, { error: `must be one of ${ROLES.join(', ')}` });
const Password = z.string({ error: 'is required' }).min(8, 'must be at least 8 characters').max(1024, 'must be at most 1024 characters');

export const CreateUserInput = z.strictObject({ username: Username, role: RoleName, password: Password });
export const UpdateUserInput = z.strictObject({ role: RoleName.optional(), password: Password.optional() });

const LAST_ADMIN = 'is the last admin; make another user admin first, so that someone can still manage users';

/** Accounts and their roles. Changes that would leave no admin are refused. */
@Injectable()
export class UsersService {
  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {}

  async list() {
    const rows: UserRow[] = await this.db.query(`${USER_VIEW} ORDER BY u.username`);
    return rows.map(viewOf);
  }

  async get(id: string) {
    return viewOf(await this.find(this.db.manager, id));
  }

  async create(body: unknown) {
    const input = validate(CreateUserInput, body);
    const users = this.db.getRepository(UserEntity);
    if (await users.existsBy({ username: input.username })) throw new ConflictError(`A user named "${input.username}" already exists`);
    const passwordHash = await hashPassword(input.password);
    const saved = await users.save(users.create({ username: input.username, role: input.role, passwordHash }));
    return this.get(saved.id);
  }

  /** Changes a user's role (at once, for every session and token) or sets a new password, which ends the user's sessions. */
  async update(id: string, body: unknown) {
    const input = validate(UpdateUserInput, body);
    const passwordHash = input.password === undefined ? undefined : await hashPassword(input.password);
    await this.db.transaction(async (manager) => {
      const user = await this.find(manager, id);
      if (input.role !== undefined && input.role !== 'admin' && user.role === 'admin') await assertOtherAdmin(manager, user);
      if (input.role !== undefined) await manager.update(UserEntity, { id }, { role: input.role });
      if (passwordHash !== undefined) {
        await manager.update(UserEntity, { id }, { passwordHash });
        await manager.query(`DELETE FROM sessions WHERE user_id = $1`, [id]);
      }
    });
    return this.get(id);
  }

  /** Deletes a user with its sessions and personal tokens (both cascade). */
  async remove(id: string): Promise<void> {
    await this.db.transaction(async (manager) => {
      const user = await this.find(manager, id);
      if (user.role === 'admin') await assertOtherAdmin(manager, user);
      await manager.delete(UserEntity, { id });
    });
  }

  private async find(manager: EntityManager, id: string): Promise<UserRow> {
    const rows: UserRow[] = isUuid(id) ? await manager.query(`${USER_VIEW} WHERE u.id = $1`, [id]) : [];
    if (!rows[0]) throw new NotFoundError('user', id);
    return rows[0];
  }
}

/**
 * Locks every admin row before counting them: two admins demoting each other at the same time
 * then run one after the other, and the second one sees it would leave none.
 */
async function assertOtherAdmin(manager: EntityManager, user: UserRow): Promise<void> {
  const admins: Array<{ id: string }> = await manager.query(`SELECT id FROM users WHERE role = 'admin' FOR UPDATE`);
  if (!admins.some((admin) => admin.id !== user.id)) throw new ConflictError(`User "${user.username}" ${LAST_ADMIN}`);
}

interface UserRow {
  id: string;
  username: string;
  role: Role;
  created_at: Date;
  sessions: number | string;
  tokens: number | string;
}

const USER_VIEW = `
  SELECT u.id, u.username, u.role, u.created_at,
         (SELECT count(*) FROM sessions s WHERE s.user_id = u.id AND s.expires_at > now()) AS sessions,
         (SELECT count(*) FROM personal_tokens t WHERE t.user_id = u.id AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())) AS tokens
    FROM users u`;

function viewOf(row: UserRow): UserView {
  return {
    id: row.id,
    username: row.username,
    role: row.role,
    createdAt: new Date(row.created_at).toISOString(),
    activeSessions: Number(row.sessions),
    activeTokens: Number(row.tokens),
  };
}
