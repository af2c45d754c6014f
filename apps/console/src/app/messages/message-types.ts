/** Shapes of the message routes' answers (see docs/messages.md and GET /api/docs). */
import type { MessageStatus, MessageTrace } from '../../../../../libs/engine/src/message';

export type {
  AnswerRecord,
  AutomationStartRecord,
  FunctionRunRecord,
  MessageStatus,
  MessageTrace,
  ProviderEvaluation,
  ResubmitEdit,
  VerificationRecord,
} from '../../../../../libs/engine/src/message';
export type { LogEntry, ScriptError } from '../../../../../libs/engine/src/script-types';
export { MESSAGE_STATUSES } from '../../../../../libs/engine/src/message';

/** A message as the list and the live stream show it. */
export interface MessageSummary {
  id: string;
  receivedAt: string;
  method: string;
  uri: string;
  status: MessageStatus;
  statusReason: string | null;
  providerId: string | null;
  providerName: string | null;
  eventType: string | null;
  eventKey: string | null;
  deliveryId: string | null;
  httpStatus: number | null;
  sync: boolean;
  triggeredBy: string;
  resubmittedFrom: string | null;
  nextAttemptAt: string | null;
  finishedAt: string | null;
  bodySize: number;
}

/** One message with its request and trace. */
export interface MessageDetail extends MessageSummary {
  path: string;
  query: Record<string, string | string[]>;
  headers: Record<string, string>;
  contentType: string | null;
  sourceAddress: string | null;
  attempts: number;
  event: Record<string, unknown> | null;
  /** The body as text, or null when it is not UTF-8 (read it from /body). */
  body: string | null;
  bodyEncoding: 'utf8' | 'binary';
  bodyTruncated: boolean;
  /** `resumedTasks`: the parked tasks this message's event resumed, read when the message is (absent when none). */
  trace: MessageTrace & { resumedTasks?: Array<{ taskId: string; name: string }> };
  /** Copies resubmitted from this message, oldest first. */
  resubmissions: MessageSummary[];
}

export interface MessagePage {
  items: MessageSummary[];
  nextCursor: string | null;
  /** A body search stopped at its scan window: more may match past `nextCursor`. */
  partial: boolean;
}

/** One event of GET /api/messages/stream. */
export interface MessageChange {
  change: 'created' | 'status';
  status: MessageStatus;
  previousStatus: MessageStatus | null;
  at: string;
  message: MessageSummary;
}

/** A bulk resubmit running on the server (POST /api/messages/resubmit-jobs). */
export interface ResubmitJob {
  id: string;
  /** `interrupted`: its server stopped before the end; start another for what is left. */
  status: 'running' | 'done' | 'interrupted';
  total: number;
  done: number;
  failed: number;
  /** The first failures, each with the message it was about. */
  errors: Array<{ from: string; error: string }>;
  finishedAt: string | null;
}
