import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DataSource, LessThan } from 'typeorm';
import type { AppConfig } from '../config';
import { CONFIG, DATA_SOURCE } from '../common/tokens';
import { tokenHash } from '../common/ids';
import type { SessionUserView } from './auth-view';
import { TooManyRequestsError, UnauthenticatedError, ValidationFailedError } from '../common/errors';
import { SessionEntity } from '../database/entities/session.entity';
import { UserEntity } from '../database/entities/user.entity';
import { hashPassword, verifyPassword } from '../security/passwords';
import { ADMIN_USERNAME, generatePassword } from './admin-user';
import { LoginThrottle } from './login-throttle';
import { PERSONAL_TOKEN_PREFIX, PersonalTokensService } from './personal-tokens.service';

/**
 * Who a request acts for, as the guard puts it on `request.user`: a login, or a personal token
 * (then `tokenId` names it). The role is read on every request, so a change applies at once.
 */
export type AuthenticatedUser = SessionUserView;

/** A token's user, or why the token is refused (said in the 401). */
export type Identity = { user: AuthenticatedUser } | { refusal: string };


// Spent on unknown usernames so that timing does not tell which names exist.
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

@Injectable()
export class AuthService {
  private readonly logger = new Logger('Auth');
  private readonly throttle = new LoginThrottle();

  constructor(
    @Inject(DATA_SOURCE) private readonly db: DataSource,
    @Inject(CONFIG) private readonly config: AppConfig,
    private readonly tokens: PersonalTokensService,
  ) {}

  /**
   * Creates `admin` on first start with HOOKLINE_ADMIN_PASSWORD, or with a generated password
   * that is returned (never logged) for the start to show once. Says so when the setting is
   * ignored because the user already exists.
   */
  async ensureAdmin(): Promise<{ generatedPassword?: string }> {
    const users = this.db.getRepository(UserEntity);
    const existing = await users.findOneBy({ username: ADMIN_USERNAME });
    const configured = this.config.adminPassword;
    if (existing) {
      if (configured === undefined) return {};
      if (await verifyPassword(configured, existing.passwordHash)) {
        this.logger.log(`HOOKLINE_ADMIN_PASSWORD is ignored: user "${ADMIN_USERNAME}" already exists (with this same password)`);
      } else {
        this.logger.warn(
          `HOOKLINE_ADMIN_PASSWORD is ignored: user "${ADMIN_USERNAME}" already exists with another password. ` +
            'To set this one, stop the server and run: npm run admin -- reset-password',
        );
      }
      return {};
    }
    // Another admin may have removed "admin" on purpose: it is created only on a first start.
    if (await users.existsBy({ role: 'admin' })) {
      if (configured !== undefined) this.logger.log(`HOOKLINE_ADMIN_PASSWORD is ignored: there is no user "${ADMIN_USERNAME}", but other admins exist`);
      return {};
    }
    const password = configured ?? generatePassword();
    await users.insert({ username: ADMIN_USERNAME, passwordHash: await hashPassword(password), role: 'admin' });
    if (configured === undefined) return { generatedPassword: password };
    this.logger.log(`Created user "${ADMIN_USERNAME}" with the password from HOOKLINE_ADMIN_PASSWORD`);
    return {};
  }

  async login(username: string, password: string, address: string): Promise<{ token: string; user: AuthenticatedUser; expiresAt: Date }> {
    // Refused before the password is checked: a delayed guess learns nothing.
    const wait = this.throttle.retryAfterSeconds(username, address);
    if (wait > 0) throw new TooManyRequestsError(`Too many failed logins; try again in ${wait} s`, wait);
    const user = await this.db.getRepository(UserEntity).findOneBy({ username });
    const valid = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !valid) {
      this.throttle.recordFailure(username, address);
      throw new UnauthenticatedError('Wrong username or password');
    }
    this.throttle.recordSuccess(username, address);
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.config.sessionTtlMs);
    await this.db.getRepository(SessionEntity).insert({ userId: user.id, tokenHash: tokenHash(token), expiresAt });
    await this.db.getRepository(SessionEntity).delete({ expiresAt: LessThan(new Date()) });
    return { token, user: { id: user.id, username: user.username, role: user.role }, expiresAt };
  }

  /** Changes the password and ends every other session of the user. */
  async changePassword(user: AuthenticatedUser, currentToken: string, currentPassword: string, newPassword: string): Promise<void> {
    const users = this.db.getRepository(UserEntity);
    const row = await users.findOneByOrFail({ id: user.id });
    if (!(await verifyPassword(currentPassword, row.passwordHash))) {
      throw new ValidationFailedError({ currentPassword: 'is not the current password' });
    }
    await users.update({ id: user.id }, { passwordHash: await hashPassword(newPassword) });
    await this.db.query(`DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2`, [user.id, tokenHash(currentToken)]);
  }

  async logout(token: string): Promise<void> {
    await this.db.getRepository(SessionEntity).delete({ tokenHash: tokenHash(token) });
  }

  /** The user a token belongs to, or null; see `identify` for why. */
  async authenticate(token: string): Promise<AuthenticatedUser | null> {
    const identity = await this.identify(token);
    return 'user' in identity ? identity.user : null;
  }

  /**
   * The user a session or personal token acts for, with the user's current role. Lookups are by
   * hash, so no token comparison leaks timing.
   */
  async identify(token: string): Promise<Identity> {
    if (token.startsWith(PERSONAL_TOKEN_PREFIX)) return this.tokens.identify(token);
    const rows: AuthenticatedUser[] = await this.db.query(
      `SELECT u.id, u.username, u.role FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.token_hash = $1 AND s.expires_at > now()`,
      [tokenHash(token)],
    );
    return rows[0] ? { user: rows[0] } : { refusal: 'The token is invalid or has expired; log in again' };
  }
}
