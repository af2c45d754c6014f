import { Injectable, inject, signal } from '@angular/core';
import { hasRole } from '../../../../server/src/auth/roles';
import { ApiClient } from '../api/api-client';
import type { LoginAnswer, Role, User } from '../api/api-types';

/** Who is logged in. The credential itself is the HttpOnly session cookie the login sets. */
@Injectable({ providedIn: 'root' })
export class Session {
  private readonly api = inject(ApiClient);
  /** undefined until asked; null when nobody is logged in. */
  readonly user = signal<User | null | undefined>(undefined);

  /** Asks the server once whether the cookie still holds a session. */
  async check(): Promise<boolean> {
    // 200 with or without a session: a normal first visit logs no failed request.
    if (this.user() === undefined) this.user.set((await this.api.get<{ user: User | null }>('/auth/session')).user);
    return this.user() !== null;
  }

  /**
   * Whether the logged-in user's role reaches `role`, to hide what they cannot use. The server
   * checks every request itself; this only spares the user buttons that would be refused.
   */
  can(role: Role): boolean {
    const user = this.user();
    return !!user && hasRole(user.role, role);
  }

  async login(username: string, password: string): Promise<void> {
    const answer = await this.api.post<LoginAnswer>('/auth/login', { username, password });
    this.user.set(answer.user);
  }

  /** Changes the logged-in user's password; the server ends their other sessions and keeps this one. */
  changePassword(currentPassword: string, newPassword: string): Promise<void> {
    return this.api.post<void>('/auth/password', { currentPassword, newPassword });
  }

  async logout(): Promise<void> {
    try {
      await this.api.post<void>('/auth/logout');
    } finally {
      this.user.set(null);
    }
  }
}
