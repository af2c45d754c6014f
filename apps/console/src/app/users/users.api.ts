import { Injectable, inject } from '@angular/core';
import { ApiClient } from '../api/api-client';
import type { Role } from '../api/api-types';
import type { CreatedToken, PersonalToken, UserAccount } from './user-types';

/** Users and personal tokens (`/api/users`, `/api/users/me/tokens`). */
@Injectable({ providedIn: 'root' })
export class UsersApi {
  private readonly api = inject(ApiClient);

  list(): Promise<UserAccount[]> {
    return this.api.get<UserAccount[]>('/users');
  }

  create(username: string, role: Role, password: string): Promise<UserAccount> {
    return this.api.post<UserAccount>('/users', { username, role, password });
  }

  /** A new role applies at once; a new password ends the user's sessions. */
  update(id: string, change: { role?: Role; password?: string }): Promise<UserAccount> {
    return this.api.put<UserAccount>(`/users/${encodeURIComponent(id)}`, change);
  }

  remove(id: string): Promise<void> {
    return this.api.delete(`/users/${encodeURIComponent(id)}`);
  }

  myTokens(): Promise<PersonalToken[]> {
    return this.api.get<PersonalToken[]>('/users/me/tokens');
  }

  /** The answer holds the token, which the server never sends again. */
  createToken(name: string, expiresInDays: number | undefined): Promise<CreatedToken> {
    return this.api.post<CreatedToken>('/users/me/tokens', expiresInDays === undefined ? { name } : { name, expiresInDays });
  }

  revokeToken(id: string): Promise<void> {
    return this.api.delete(`/users/me/tokens/${encodeURIComponent(id)}`);
  }
}
