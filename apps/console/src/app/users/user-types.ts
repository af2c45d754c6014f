import type { Role } from '../api/api-types';

/** A user as `GET /api/users` answers it. */
export interface UserAccount {
  id: string;
  username: string;
  role: Role;
  createdAt: string;
  activeSessions: number;
  activeTokens: number;
}

/** A personal token as listed: never the token itself. */
export interface PersonalToken {
  id: string;
  name: string;
  status: 'active' | 'expired' | 'revoked';
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** The answer to creating a token: the only time the token is sent. */
export interface CreatedToken extends PersonalToken {
  token: string;
}
