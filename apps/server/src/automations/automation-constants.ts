/**
 * The lists of automations' failure events, run statuses and triggers, and http methods. Plain
 * constants with no imports: the console imports them at run time, while the views
 * (automation-view.ts) are zod schemas it only takes types from.
 */
export const FAILURE_EVENTS = ['message.failed', 'message.dead', 'run.failed', 'run.dead'] as const;
export type FailureEvent = (typeof FAILURE_EVENTS)[number];

export const RUN_STATUSES = ['pending', 'running', 'succeeded', 'failed', 'skipped', 'dead'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** `event`: started by a failure event (`run.dead` and the like); `scm-poll`: by a poll that found a watched branch moved. */
export const RUN_TRIGGERS = ['webhook', 'function', 'schedule', 'manual', 'event', 'scm-poll'] as const;
export type RunTrigger = (typeof RUN_TRIGGERS)[number];

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
