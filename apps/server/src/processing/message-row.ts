import type { InboundRequest, MessageStatus, MessageTrace, NamedEvent, ResubmitEdit, TriggeredBy } from '../../../../libs/engine/src';
import type { NewMessage } from '../messages/message-ledger';
import type { StoredHeaders } from './credential-headers';

/** Where a message came from. */
export interface MessageOrigin {
  triggeredBy: TriggeredBy;
  resubmittedFrom?: string;
  edited?: ResubmitEdit;
}

/** The trace a message starts with: its origin, before any step has run. */
export function originTrace(origin: MessageOrigin): MessageTrace {
  return {
    providers: [],
    functions: [],
    ...(origin.resubmittedFrom && { resubmittedFrom: origin.resubmittedFrom }),
    ...(origin.edited && { edited: origin.edited }),
  };
}

/** What was decided about a message before its first write. */
export interface Decided {
  status: MessageStatus;
  statusReason?: string | null;
  httpStatus: number | null;
  trace: MessageTrace;
  provider?: { id: string; name: string } | null;
  named?: NamedEvent;
  endpointId?: string | null;
  sync: boolean;
  /** For a message that starts `processing` here: the lease it is written with. */
  lease?: { workerId: string; until: Date };
}

/** The row a message is first written as: the request as received and what was decided about it. */
export function messageRow(id: string, request: InboundRequest, stored: StoredHeaders, origin: MessageOrigin, decided: Decided): NewMessage {
  const isFinal = decided.status !== 'queued' && decided.status !== 'processing';
  return {
    id,
    receivedAt: request.receivedAt,
    method: request.method,
    uri: request.uri,
    path: request.path,
    query: request.query,
    headers: stored.headers,
    credentialsSealed: stored.credentialsSealed,
    body: request.rawBody,
    contentType: request.contentType,
    sourceAddress: request.sourceAddress,
    status: decided.status,
    statusReason: decided.statusReason ?? null,
    providerId: decided.provider?.id ?? null,
    providerName: decided.provider?.name ?? null,
    eventType: decided.named?.eventType ?? null,
    event: decided.named?.event ?? null,
    deliveryId: decided.named?.deliveryId ?? null,
    endpointId: decided.endpointId ?? null,
    httpStatus: decided.httpStatus,
    sync: decided.sync,
    triggeredBy: origin.triggeredBy,
    resubmittedFrom: origin.resubmittedFrom ?? null,
    trace: decided.trace,
    attempts: decided.lease ? 1 : 0,
    lockedBy: decided.lease?.workerId ?? null,
    lockedUntil: decided.lease?.until ?? null,
    finishedAt: isFinal ? new Date() : null,
  };
}
