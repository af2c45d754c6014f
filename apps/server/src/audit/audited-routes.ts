import { TooManyRequestsError, UnauthenticatedError, ValidationFailedError } from '../common/errors';
import type { AuditEntityType } from './audit-kinds';

export { AUDIT_ACTOR_KINDS, AUDIT_ENTITY_TYPES, type AuditActorKind, type AuditEntityType } from './audit-kinds';

/** How a route is recorded. */
export interface AuditRule {
  action: string;
  entity: AuditEntityType;
  /**
   * Where the entity's id is: a path parameter (`:tokenId` before `:id`, as a token's route names
   * its user too), the answer's `id` (a create), or the acting user (auth).
   */
  idFrom?: 'param' | 'answer' | 'actor';
  /**
   * The entity as the API shows it, read before the change (update, delete) and after it (create,
   * update): scripts in full, so that a diff shows the edit.
   */
  snapshot?: 'before' | 'after' | 'both';
  /** Operations rather than edits keep the request body and the answer in `details`, redacted. */
  keepInput?: boolean;
  keepAnswer?: boolean;
  /** A refusal that is itself worth recording (a failed login), under its own action. */
  onFailure?: { action: string; when: (error: unknown) => boolean };
}

/** A mutating route that records nothing, and why. */
export interface AuditExemption {
  exempt: string;
}

const edit = (entity: AuditEntityType, verb: string): AuditRule => ({ action: `${entity}.${verb}`, entity, idFrom: 'param', snapshot: 'both' });
const create = (entity: AuditEntityType): AuditRule => ({ action: `${entity}.create`, entity, idFrom: 'answer', snapshot: 'after' });
const remove = (entity: AuditEntityType, verb = 'delete'): AuditRule => ({ action: `${entity}.${verb}`, entity, idFrom: 'param', snapshot: 'before' });
const operation = (action: string, entity: AuditEntityType, idFrom?: 'param'): AuditRule => ({ action, entity, ...(idFrom && { idFrom }), keepInput: true, keepAnswer: true });
const restore = (entity: AuditEntityType): AuditRule => ({ ...edit(entity, 'restore'), keepInput: true });

/**
 * Every route that can change something, by method and path as the router registers it. A test
 * compares this table with the routes the server serves: a new POST, PUT, PATCH or DELETE that is
 * in neither column fails it.
 */
export const AUDITED_ROUTES: Record<string, AuditRule | AuditExemption> = {
  'POST /api/auth/login': {
    action: 'auth.login',
    entity: 'user',
    idFrom: 'actor',
    // Wrong credentials, and guesses refused by the throttle: who tried which name, from where.
    onFailure: { action: 'auth.login-failed', when: (error) => error instanceof UnauthenticatedError || error instanceof TooManyRequestsError },
  },
  'POST /api/auth/logout': { action: 'auth.logout', entity: 'user', idFrom: 'actor' },
  'POST /api/auth/password': {
    action: 'auth.password-change',
    entity: 'user',
    idFrom: 'actor',
    onFailure: { action: 'auth.password-change-failed', when: (error) => error instanceof ValidationFailedError && 'currentPassword' in error.fields },
  },

  'POST /api/providers': create('provider'),
  'PUT /api/providers/:id': edit('provider', 'update'),
  'DELETE /api/providers/:id': remove('provider'),
  'POST /api/providers/:id/reset': edit('provider', 'reset'),
  'POST /api/providers/:id/versions/:version/restore': restore('provider'),
  'PUT /api/providers/order': { action: 'provider-order.update', entity: 'provider-order', snapshot: 'both' },
  'POST /api/providers/order/versions/:version/restore': { action: 'provider-order.restore', entity: 'provider-order', snapshot: 'both', keepInput: true },
  'POST /api/providers/:id/test': operation('provider.test', 'provider', 'param'),
  'POST /api/providers/descriptor-preview': { exempt: 'checks a draft descriptor and answers what it would generate; runs and saves nothing' },

  'POST /api/functions': create('function'),
  'PUT /api/functions/:id': edit('function', 'update'),
  'DELETE /api/functions/:id': remove('function'),
  'POST /api/functions/:id/versions/:version/restore': restore('function'),
  'POST /api/functions/:id/test': operation('function.test', 'function', 'param'),
  'POST /api/preview': operation('script.preview', 'script'),

  'POST /api/automations': create('automation'),
  'PUT /api/automations/:id': edit('automation', 'update'),
  'DELETE /api/automations/:id': remove('automation'),
  'POST /api/automations/:id/run': operation('automation.run', 'automation', 'param'),
  'POST /api/automations/:id/test-poll': operation('automation.test-poll', 'automation', 'param'),
  'POST /api/runs/:id/retry': { ...edit('run', 'retry'), keepAnswer: false },
  'POST /api/runs/retry': operation('run.retry-bulk', 'run'),

  'POST /api/webhooks': create('endpoint'),
  'PUT /api/webhooks/:id': edit('endpoint', 'update'),
  'DELETE /api/webhooks/:id': remove('endpoint'),
  'POST /api/webhooks/:id/regenerate': edit('endpoint', 'regenerate'),
  'POST /api/webhooks/inbound/:token': { exempt: 'a delivery from a sender, kept as a message with its own history' },

  'POST /api/git-providers': create('git-provider'),
  'PUT /api/git-providers/:id': edit('git-provider', 'update'),
  'DELETE /api/git-providers/:id': remove('git-provider'),
  'POST /api/git-providers/:id/check': operation('git-provider.check', 'git-provider', 'param'),

  'POST /api/users': create('user'),
  'PUT /api/users/:id': edit('user', 'update'),
  'DELETE /api/users/:id': remove('user'),
  // A token's name and expiry, never the token: the answer that shows it once is not kept.
  'POST /api/users/me/tokens': { action: 'personal-token.create', entity: 'personal-token', idFrom: 'answer', keepInput: true },
  // A revoked token stays listed: before and after show its status change, and name it.
  'DELETE /api/users/me/tokens/:tokenId': edit('personal-token', 'revoke'),
  'DELETE /api/users/:id/tokens/:tokenId': edit('personal-token', 'revoke'),

  'POST /api/runners': create('runner'),
  'PUT /api/runners/:id': edit('runner', 'update'),
  'DELETE /api/runners/:id': remove('runner', 'revoke'),

  'POST /api/tasks/:id/resume': { ...edit('task', 'resume'), keepInput: true },
  'POST /api/tasks/:id/messages': operation('task.message', 'task', 'param'),
  'POST /api/tasks/claim': { exempt: "a runner's work on a task, kept in the task's own state" },
  'POST /api/tasks/:id/park': { exempt: "a runner's work on a task, kept in the task's own state" },
  'POST /api/tasks/:id/complete': { exempt: "a runner's work on a task, kept in the task's own state" },

  'POST /api/messages/:id/resubmit': operation('message.resubmit', 'message', 'param'),
  'POST /api/messages/resubmit': operation('message.resubmit-bulk', 'message'),
  'POST /api/messages/resubmit-jobs': operation('message.resubmit-job', 'message'),

  'ALL /webhooks/*': { exempt: 'a delivery from a sender, kept as a message with its own history' },
};

/** Every action an entry can have, for the list's filter. */
export const AUDIT_ACTIONS: readonly string[] = [
  ...new Set(
    Object.values(AUDITED_ROUTES).flatMap((rule) => ('exempt' in rule ? [] : [rule.action, ...(rule.onFailure ? [rule.onFailure.action] : [])])),
  ),
].sort();

/** The rule for a request, or undefined for a read, an exempt route or no route at all. */
export function auditRuleFor(method: string, routePath: string | undefined): AuditRule | undefined {
  if (!routePath) return undefined;
  const rule = AUDITED_ROUTES[`${method.toUpperCase()} ${routePath}`];
  return rule && !('exempt' in rule) ? rule : undefined;
}
