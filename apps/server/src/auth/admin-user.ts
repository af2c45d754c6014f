import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { SessionEntity } from '../database/entities/session.entity';
import { UserEntity } from '../database/entities/user.entity';
import { hashPassword } from '../security/passwords';

/** The one account a fresh install has. */
export const ADMIN_USERNAME = 'admin';

/** 16 URL-safe characters (96 bits): typed once from a terminal, then changed. */
export function generatePassword(): string {
  return randomBytes(12).toString('base64url');
}

export interface PasswordReset {
  created: boolean;
  sessionsEnded: number;
}

/**
 * Sets the admin's password from the host, creating the user if it does not exist yet, and
 * ends its sessions: whoever held them logged in with the password being replaced. The user is
 * made an admin again if it was demoted: this is the way back in when every admin is locked out.
 */
export async function resetAdminPassword(db: DataSource, password: string): Promise<PasswordReset> {
  const passwordHash = await hashPassword(password);
  return db.transaction(async (manager) => {
    const users = manager.getRepository(UserEntity);
    const user = await users.findOneBy({ username: ADMIN_USERNAME });
    if (!user) {
      await users.insert({ username: ADMIN_USERNAME, passwordHash, role: 'admin' });
      return { created: true, sessionsEnded: 0 };
    }
    await users.update({ id: user.id }, { passwordHash, role: 'admin' });
    const ended = await manager.getRepository(SessionEntity).delete({ userId: user.id });
    return { created: false, sessionsEnded: ended.affected ?? 0 };
  });
}
