import type { FixedAnswer } from './answer-mode';
import type { AutomationStartRecord, FunctionRunRecord } from './message';
import type { ScriptResponse } from './script-types';

/** What the caller gets back. */
export interface Answer {
  messageId: string;
  status: number;
  headers: Record<string, string>;
  body: unknown;
  /** Told, once the answer has gone out, what the caller actually got. */
  onSent?: (sent: SentAnswer) => void;
}

/** The status line and headers the server wrote, which may differ from the answer made. */
export interface SentAnswer {
  status: number;
  headers: Record<string, string>;
  error?: string;
}

/** How a message's request ended, as far as its caller is concerned. */
export type Outcome =
  | { kind: 'no_provider'; sync: boolean }
  | { kind: 'unauthorized'; reason: string }
  | { kind: 'duplicate'; duplicateOf: string }
  | { kind: 'handshake'; status: number; body: unknown }
  | { kind: 'queued' }
  /** Queued, answered with the provider's fixed async answer. */
  | { kind: 'fixed'; answer: FixedAnswer }
  /** A sync run still going when the caller's wait ended. */
  | { kind: 'still_running'; afterMs: number }
  | { kind: 'ran'; status: 'processed' | 'no_function' | 'failed'; functions: FunctionRunRecord[] }
  /** A function's respond(): its answer, as made. */
  | { kind: 'responded'; response: ScriptResponse }
  /** The result could not be stored (`reason`), or processing threw (no reason: it is in the log). */
  | { kind: 'broken'; reason?: string }
  | { kind: 'endpoint_disabled'; automations: AutomationStartRecord[] }
  | { kind: 'throttled'; reason: string; retryAfterSeconds: number }
  | { kind: 'started'; status: 'processed' | 'failed'; automations: AutomationStartRecord[] };

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

/** The one mapping from a message's outcome to the HTTP answer its caller gets. */
export function httpAnswer(messageId: string, outcome: Outcome): Answer {
  const json = (status: number, body: unknown, headers: Record<string, string> = {}): Answer => ({
    messageId,
    status,
    headers: { ...JSON_HEADERS, ...headers },
    body,
  });
  switch (outcome.kind) {
    case 'no_provider':
      // A sync caller waits for a result and gets a not-found; an async sender only needs to know it was stored.
      return json(outcome.sync ? 404 : 202, { messageId, status: 'no_provider', message: 'No provider matched this request' });
    case 'unauthorized':
      return json(401, { messageId, status: 'unauthorized', message: `Verification failed: ${outcome.reason}` });
    case 'duplicate':
      // 2xx, so that the sender stops retrying a delivery that was accepted before.
      return json(200, { messageId, status: 'duplicate', duplicateOf: outcome.duplicateOf });
    case 'handshake':
      return json(outcome.status, outcome.body);
    case 'queued':
      return json(202, { messageId, status: 'queued' });
    case 'fixed':
      return { messageId, status: outcome.answer.status, headers: { ...outcome.answer.headers }, body: outcome.answer.body };
    case 'still_running':
      return json(202, {
        messageId,
        status: 'processing',
        message: `Functions are still running after ${outcome.afterMs} ms; they go on, see GET /api/messages/${messageId}`,
      });
    case 'ran': {
      const functions = outcome.functions.map(functionSummary);
      if (outcome.status === 'processed') return json(200, { messageId, status: 'processed', functions });
      if (outcome.status === 'no_function') return json(404, { messageId, status: 'no_function', message: 'No function ran for this message', functions });
      return json(500, { messageId, status: 'failed', message: 'A function failed', functions });
    }
    case 'responded':
      return fromScript(messageId, outcome.response);
    case 'broken':
      return json(500, {
        messageId,
        status: 'failed',
        message: outcome.reason === undefined ? 'Processing failed; the error is in the server log' : `Processing failed: ${outcome.reason}`,
      });
    case 'endpoint_disabled':
      return json(200, { messageId, status: 'disabled', automations: outcome.automations });
    case 'throttled':
      return json(429, { messageId, status: 'throttled', message: outcome.reason }, { 'retry-after': String(outcome.retryAfterSeconds) });
    case 'started': {
      const anyFailed = outcome.automations.some((run) => run.status === 'failed');
      return json(anyFailed ? 207 : 200, { messageId, status: outcome.status, automations: outcome.automations });
    }
  }
}

function fromScript(messageId: string, response: ScriptResponse): Answer {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(response.headers ?? {})) headers[name.toLowerCase()] = String(value);
  const body = response.body;
  if (typeof body !== 'string' && body !== undefined && body !== null && !headers['content-type']) {
    headers['content-type'] = JSON_HEADERS['content-type'];
  }
  return { messageId, status: response.status, headers, body: body ?? '' };
}

/** The short per-function summary a caller sees. */
export function functionSummary(record: FunctionRunRecord) {
  return {
    id: record.functionId,
    name: record.functionName,
    status: record.status,
    durationMs: record.durationMs,
    ...(record.result !== undefined && { result: record.result }),
    ...(record.error && { error: record.error.message }),
  };
}
