import { z } from 'zod';
import { instant, RoleSchema, uuid } from '../docs/contract';

/** A user as the API answers it. */
export const UserView = z
  .strictObject({
    id: uuid,
    username: z.string(),
    role: RoleSchema,
    createdAt: instant,
    activeSessions: z.number().int().describe('Logins that have not expired'),
    activeTokens: z.number().int().describe('Personal tokens neither revoked nor expired'),
  })
  .meta({ id: 'User' });
export type UserView = z.output<typeof UserView>;

const time = (description: string) => instant.nullable().describe(description);

/** A personal token as the API answers it: never the token itself, but once, on creation. */
export const PersonalTokenView = z
  .strictObject({
    id: uuid,
    name: z.string(),
    status: z.enum(['active', 'expired', 'revoked']),
    createdAt: instant,
    expiresAt: time('null: never expires'),
    lastUsedAt: time('To the minute'),
    revokedAt: time('When it was revoked'),
  })
  .meta({ id: 'PersonalToken' });
export type PersonalTokenView = z.output<typeof PersonalTokenView>;

export const CreatedPersonalTokenView = PersonalTokenView.extend({
  token: z.string().describe('hlp_...: shown only in this answer; only its hash is kept'),
}).meta({ id: 'PersonalTokenCreated' });
export type CreatedPersonalTokenView = z.output<typeof CreatedPersonalTokenView>;
