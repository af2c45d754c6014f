/** The kinds an audit entry names, in a file without imports: the console imports these lists too. */

/** What an audit entry is about. */
export const AUDIT_ENTITY_TYPES = ['provider', 'provider-order', 'function', 'automation', 'run', 'endpoint', 'git-provider', 'runner', 'task', 'message', 'script', 'user', 'personal-token'] as const;
export type AuditEntityType = (typeof AUDIT_ENTITY_TYPES)[number];

/** How the actor proved who it is: a login session, a personal API token, a runner token, the server itself, or nobody (a failed login). */
export const AUDIT_ACTOR_KINDS = ['session', 'token', 'runner', 'system', 'anonymous'] as const;
export type AuditActorKind = (typeof AUDIT_ACTOR_KINDS)[number];
