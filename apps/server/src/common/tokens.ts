/** Injection tokens for values built at start-up rather than by Nest. */
export const CONFIG = Symbol('CONFIG');
export const DATA_SOURCE = Symbol('DATA_SOURCE');
export const SCRIPT_RUNNER = Symbol('SCRIPT_RUNNER');
export const SECRET_BOX = Symbol('SECRET_BOX');
export const NOTIFICATIONS = Symbol('NOTIFICATIONS');
/** The sandbox's counters and pool usage, for the metrics. */
export const SANDBOX_MONITOR = Symbol('SANDBOX_MONITOR');
/** What the automations' scmPoll setting asks of the Git providers (scm-polling/scm-poll-setting.ts). */
