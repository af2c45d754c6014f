import { z } from 'zod';
import { AUDIT_ENTITY_TYPES } from '../audit/audit-kinds';
import { AuditPageView } from '../audit/audit-view';
import { AUDIT_ACTIONS } from '../audit/audited-routes';
import { instant, invalid, type Routes } from './contract';

/** `GET /api/audit`: checked by parseFilter in audit.service.ts (an unknown filter or a bad value is a 400 naming it). */
const AuditQuery = z.object({
  actor: z.string().max(200).optional().describe('A user name or id, or a runner name or id'),
  entity: z.enum(AUDIT_ENTITY_TYPES).optional(),
  entityId: z.string().max(200).optional().describe('With entity, the history of one thing'),
  action: z.enum(AUDIT_ACTIONS as [string, ...string[]]).optional(),
  since: instant.optional().describe('Entries at or after this time'),
  until: instant.optional().describe('Entries before this time'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().optional().describe('nextCursor of the page before'),
});

/** The audit log (docs/audit.md). */
export const AUDIT_ROUTES: Routes = {
  '/api/audit': {
    get: {
      tags: ['Audit'],
      access: 'admin',
      summary: 'The audit log, newest first: every configuration change, resubmit, manual run, token creation and login (admins only; append-only, no route changes or removes an entry)',
      query: AuditQuery,
      responses: { 200: { description: 'A page; pass nextCursor as cursor for the next, older page', body: AuditPageView }, ...invalid },
    },
  },
};
