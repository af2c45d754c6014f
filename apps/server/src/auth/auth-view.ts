import { z } from 'zod';
import { instant, RoleSchema, uuid } from '../docs/contract';

/** The user a request acts for, with the user's current role. */
export const SessionUserView = z
  .strictObject({
    id: uuid,
    username: z.string(),
    role: RoleSchema,
    tokenId: uuid.optional().describe('Set when the request came with a personal token: its id'),
  })
  .meta({ id: 'SessionUser' });
export type SessionUserView = z.output<typeof SessionUserView>;

export const LoginView = z.strictObject({
  token: z.string().describe('A session token, for Authorization: Bearer <token>; the same session is in the cookie'),
  user: SessionUserView,
  expiresAt: instant,
});
export type LoginView = z.output<typeof LoginView>;

export const SessionView = z.strictObject({ user: SessionUserView.nullable().describe('null: the request is not logged in') });
export type SessionView = z.output<typeof SessionView>;

export const MeView = z.strictObject({ user: SessionUserView });
export type MeView = z.output<typeof MeView>;
