/**
 * Audit entries as the API answers them. Plain types only, no imports: the console imports this
 * file too, so the contract is written once.
 */

/** What an audit entry is about. */
export const AUDIT_ENTITY_TYPES = ['provider', 'provider-order', 'function', 'automation', 'run', 'endpoint', 'git-provider', 'runner', 'task', 'message', 'script', 'user', 'personal-token'] as const;
export type AuditEntityType = (typeof AUDIT_ENTITY_TYPES)[number];

/** How the actor proved who it is: a login session, a personal API token, a runner token, the server itself, or nobody (a failed login). */
export const AUDIT_ACTOR_KINDS = ['session', 'token', 'runner', 'system', 'anonymous'] as const;
export type AuditActorKind = (typeof AUDIT_ACTOR_KINDS)[number];

export interface AuditEntryView {
  id: string;
  at: string;
  actor: {
    /** session, token (a personal API token), runner, system, or anonymous (a failed login). */
    via: AuditActorKind;
    id: string | null;
    name: string | null;
    /** Every identity field the request carried (id, username, and a role or token id where there are such). */
    identity: Record<string, unknown> | null;
  };
  /** The client's address, as HOOKLINE_TRUST_PROXY lets the server see it. */
  address: string | null;
  userAgent: string | null;
  /** `provider.update`, `auth.login-failed`, `message.resubmit`… */
  action: string;
  entity: { type: AuditEntityType; id: string | null; name: string | null } | null;
  /** The entity as the API showed it before and after, secrets redacted; null where there is none. */
  before: unknown;
  after: unknown;
  /** The version restored, the fields changed, an operation's input and answer, a refusal's reason. */
  details: Record<string, unknown>;
}

export interface AuditPageView {
  items: AuditEntryView[];
  nextCursor: string | null;
}
