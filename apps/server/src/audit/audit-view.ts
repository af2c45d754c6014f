import { z } from 'zod';
import { instant, pageOf, uuid } from '../docs/contract';
import { AUDIT_ACTOR_KINDS, AUDIT_ENTITY_TYPES } from './audit-kinds';

const nullableText = z.string().nullable();

/** An audit entry as the API answers it. The console imports its type; its runtime lists are in audit-kinds.ts. */
export const AuditEntryView = z
  .strictObject({
    id: uuid,
    at: instant,
    actor: z.strictObject({
      via: z.enum(AUDIT_ACTOR_KINDS).describe('How the actor authenticated: session, token (a personal API token), runner, system (HOOKLINE_CONFIG applied at start), or anonymous (a failed login)'),
      id: nullableText,
      name: nullableText,
      identity: z
        .record(z.string(), z.unknown())
        .nullable()
        .describe('Every identity field the request carried (id, username, and a role or token id where there are such)'),
    }),
    address: nullableText.describe('The client address, through the proxies HOOKLINE_TRUST_PROXY names'),
    userAgent: nullableText,
    action: z.string().describe('provider.update, auth.login-failed, message.resubmit…'),
    entity: z.strictObject({ type: z.enum(AUDIT_ENTITY_TYPES), id: nullableText, name: nullableText }).nullable(),
    before: z.unknown().describe('The entity as GET showed it before the change (scripts in full), secrets redacted; null where there is none'),
    after: z.unknown().describe('The entity as GET shows it after the change, secrets redacted; null where there is none'),
    details: z
      .record(z.string(), z.unknown())
      .describe('version (a restore), changed (top-level fields that differ), input and answer (operations such as resubmits and runs), reason and username (a failed login)'),
  })
  .meta({ id: 'AuditEntry', description: 'One recorded change or login. Secrets are redacted in every field.' });
export type AuditEntryView = z.output<typeof AuditEntryView>;

export const AuditPageView = pageOf(AuditEntryView).meta({ id: 'AuditPage' });
export type AuditPageView = z.output<typeof AuditPageView>;
