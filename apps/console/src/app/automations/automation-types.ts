/** Shapes of the automation and run routes of the admin API, as documented in GET /api/docs. */

export type CommandTarget = { kind: 'command'; command: string | null; argv: string[] | null; shell: boolean; timeoutMs: number };
export type HttpTarget = { kind: 'http'; method: HttpMethod; url: string; headers: Record<string, string>; body: string | null; retries?: number; timeoutMs: number };
export type TaskTarget = { kind: 'task'; name: string; instructions: string; params: Record<string, unknown> };
export type AutomationTarget = CommandTarget | HttpTarget | TaskTarget;
export type TargetKind = AutomationTarget['kind'];

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export const FAILURE_EVENTS = ['message.failed', 'message.dead', 'run.failed', 'run.dead'] as const;
export type FailureEvent = (typeof FAILURE_EVENTS)[number];

export interface RetryPolicy {
  attempts?: number;
  delayMs?: number;
  maxDelayMs?: number;
}

export interface Automation {
  id: string;
  name: string;
  description: string;
  enabled: boolean;
  schedule: string | null;
  timeZone: string;
  nextRunAt: string | null;
  target: AutomationTarget;
  retry: RetryPolicy;
  events: FailureEvent[];
  createdAt: string;
  updatedAt: string;
}

/** What a create or a save sends; PUT replaces a target whole. */
export interface AutomationInput {
  name: string;
  description: string;
  enabled: boolean;
  schedule: string | null;
  timeZone: string;
  target: AutomationTarget;
  retry: RetryPolicy;
  events: FailureEvent[];
}

export type RunStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'dead';
export type RunTrigger = 'webhook' | 'function' | 'schedule' | 'manual' | 'event';

export interface EarlierAttempt {
  statusReason: string | null;
  output: Record<string, unknown> | null;
  startedAt: string | null;
  finishedAt: string;
}

export interface Run {
  id: string;
  automationId: string;
  automationName: string;
  trigger: RunTrigger;
  messageId: string | null;
  functionId: string | null;
  endpointId: string | null;
  vars: Record<string, unknown>;
  status: RunStatus;
  statusReason: string | null;
  rendered: Record<string, unknown>;
  warnings: string[];
  output: Record<string, unknown> | null;
  attempts: number;
  retries: number;
  earlierAttempts: EarlierAttempt[];
  nextAttemptAt: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}
