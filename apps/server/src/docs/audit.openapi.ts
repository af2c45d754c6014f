import { AUDIT_ACTIONS, AUDIT_ACTOR_KINDS, AUDIT_ENTITY_TYPES } from '../audit/audited-routes';
import { authErrors, error, invalid, json, ref } from './openapi-parts';

const tags = ['Audit'];
const text = (description: string) => ({ type: 'string', description });
const nullableText = { type: ['string', 'null'] };

/** The audit log's entry and page (see docs/audit.md). */
export const AUDIT_SCHEMAS = {
  AuditEntry: {
    type: 'object',
    description: 'One recorded change or login. Secrets are redacted in every field.',
    properties: {
      id: { type: 'string', format: 'uuid' },
      at: { type: 'string', format: 'date-time' },
      actor: {
        type: 'object',
        properties: {
          via: { type: 'string', enum: AUDIT_ACTOR_KINDS, description: 'How the actor authenticated; anonymous for a failed login' },
          id: nullableText,
          name: nullableText,
          identity: { type: ['object', 'null'], description: 'Every identity field the request carried' },
        },
      },
      address: { ...nullableText, description: 'The client address, through the proxies HOOKLINE_TRUST_PROXY names' },
      userAgent: nullableText,
      action: { type: 'string', enum: AUDIT_ACTIONS },
      entity: {
        type: ['object', 'null'],
        properties: { type: { type: 'string', enum: AUDIT_ENTITY_TYPES }, id: nullableText, name: nullableText },
      },
      before: { description: 'The entity as GET showed it before the change (scripts in full), or null' },
      after: { description: 'The entity as GET shows it after the change, or null' },
      details: {
        type: 'object',
        description: 'version (a restore), changed (top-level fields that differ), input and answer (operations such as resubmits and runs), reason and username (a failed login)',
      },
    },
  },
  AuditPage: {
    type: 'object',
    properties: { items: { type: 'array', items: ref('AuditEntry') }, nextCursor: { ...nullableText, description: 'Pass as cursor for the next, older page; null on the last' } },
  },
};

export const AUDIT_PATHS = {
  '/api/audit': {
    get: {
      tags,
      summary: 'The audit log, newest first: every configuration change, resubmit, manual run, token creation and login (admins only; append-only, no route changes or removes an entry)',
      parameters: [
        { name: 'actor', in: 'query', schema: text('A user name or id, or a runner name or id') },
        { name: 'entity', in: 'query', schema: { type: 'string', enum: AUDIT_ENTITY_TYPES } },
        { name: 'entityId', in: 'query', schema: text('With entity, the history of one thing') },
        { name: 'action', in: 'query', schema: { type: 'string', enum: AUDIT_ACTIONS } },
        { name: 'since', in: 'query', schema: { type: 'string', format: 'date-time' }, description: 'Entries at or after this time' },
        { name: 'until', in: 'query', schema: { type: 'string', format: 'date-time' }, description: 'Entries before this time' },
        { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } },
        { name: 'cursor', in: 'query', schema: { type: 'string' }, description: 'nextCursor of the page before' },
      ],
      responses: { 200: { description: 'A page', ...json(ref('AuditPage')) }, ...invalid, ...authErrors, 403: error('Not an admin') },
    },
  },
};
