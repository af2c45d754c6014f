import type { AnswerMode, AnswerModeSource } from './answer-mode';
import type { LogEntry, ScriptError } from './script-types';

/** Every status a message can have, listed once; `MessageStatus` is derived from it. */
export const MESSAGE_STATUSES = [
  'received',
  'no_provider',
  'unauthorized',
  'queued',
  'processing',
  'processed',
  'no_function',
  'failed',
  'duplicate',
  'throttled',
  'dead',
] as const;

export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export type TriggeredBy = 'webhook' | 'resubmit';

/** One inbound HTTP request exactly as received. */
export interface InboundRequest {
  method: string;
  uri: string;
  path: string;
  query: Record<string, string | string[]>;
  /** Lower-case header names. */
  headers: Record<string, string>;
  rawBody: Buffer;
  contentType: string | null;
  sourceAddress: string | null;
  receivedAt: Date;
}

export interface ProviderEvaluation {
  providerId: string;
  providerName: string;
  priority: number;
  matched: boolean;
  durationMs: number;
  /** The match script ran out of time and was asked once more with a larger limit. */
  retriedAfterTimeout?: boolean;
  error?: ScriptError;
}

export interface VerificationRecord {
  scheme: string;
  ok: boolean;
  reason?: string;
  /** Which secret verified the message, when the scheme uses one. */
  matchedSecret?: 'current' | 'previous';
  /** A failure that was recorded but did not block the message (an admin's resubmit). */
  overridden?: boolean;
}

export interface ConditionRecord {
  expression: string;
  value: boolean;
  error?: ScriptError;
  /** It timed out once and was evaluated again with a larger limit. */
  retriedAfterTimeout?: boolean;
}

export type FunctionRunStatus = 'succeeded' | 'failed' | 'timed_out' | 'skipped';

export interface FunctionRunRecord {
  functionId: string;
  functionName: string;
  status: FunctionRunStatus;
  condition?: ConditionRecord;
  startedAt: string;
  durationMs: number;
  result?: unknown;
  error?: ScriptError;
  logs: LogEntry[];
  /** Set when this function's respond() was the answer the caller got. */
  responded?: boolean;
  /** Which attempt of this function for this message: 1, then one more for each retry. */
  attempt?: number;
}

export interface AnswerRecord {
  status: number;
  at: string;
  /** Who decided the answer: the engine, or a function's respond(). */
  by: 'engine' | 'function';
  functionId?: string;
  /** For an answer made by respond(): the headers actually sent, as the server wrote them. */
  headers?: Record<string, string>;
  /** Set when the answer could not be sent as made; `status` is then what the caller got, if anything. */
  error?: string;
  /** The answer mode of the message, and what set it (a webhook's; absent for other messages). */
  mode?: AnswerMode;
  modeSource?: AnswerModeSource;
  /** For a mode set by a function's override: that function. */
  modeFunctionId?: string;
  /** Set when the provider's fixed async answer was sent. */
  fixed?: boolean;
  /** In respond mode: no respond() came within this many ms, so the caller got the 202. */
  respondTimeoutMs?: number;
}

/** An automation run a message started, by a function or an endpoint. */
export interface AutomationStartRecord {
  automationId: string;
  automationName?: string;
  runId?: string;
  /** The run's status when started (`pending`, or `skipped` when disabled), or `failed` when it could not start. */
  status: string;
  error?: string;
  functionId?: string;
}

/** What an admin changed in a stored request before resubmitting it. */
export interface ResubmitEdit {
  headersAdded: string[];
  headersChanged: string[];
  headersRemoved: string[];
  bodyChanged: boolean;
}

/** How a message was processed, step by step. */
export interface MessageTrace {
  providers: ProviderEvaluation[];
  verification?: VerificationRecord;
  functions: FunctionRunRecord[];
  answer?: AnswerRecord;
  /** Automation runs started while processing it. */
  automations?: AutomationStartRecord[];
  resubmittedFrom?: string;
  /** For a resubmission an admin edited first: what was changed (header names, never values). */
  edited?: ResubmitEdit;
  /** Set when the sender's delivery id was seen before: the earlier message's id. */
  duplicateOf?: string;
  /** What could not be read from the request and why, e.g. a JSON body nested too deep to parse. */
  notes?: string[];
  /** Processing attempts that ended without a result (a crash or a lost lease). */
  interruptedAttempts?: number;
  /** Retries made after functions failed: not crashes, which `interruptedAttempts` counts. */
  retries?: number;
  /** Messages resubmitted from this one, oldest first. */
  resubmittedAs?: string[];
  /** How long ingress held the request, before writing it, for the shared queue to have room (back-pressure). */
  queueWaitMs?: number;
}

export function emptyTrace(): MessageTrace {
  return { providers: [], functions: [] };
}
