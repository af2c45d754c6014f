import type { MessageSummaryRow } from './messages.repository';
import type { MessageSummaryView } from './message-view';

/** A message as lists and the live stream show it: everything but headers, body and trace. */
export function toSummary(row: MessageSummaryRow): MessageSummaryView {
  return {
    id: row.id,
    receivedAt: new Date(row.received_at).toISOString(),
    method: row.method,
    uri: row.uri,
    status: row.status,
    statusReason: row.status_reason,
    providerId: row.provider_id,
    providerName: row.provider_name,
    eventType: row.event_type,
    eventKey: row.event_key,
    deliveryId: row.delivery_id,
    httpStatus: row.http_status,
    sync: row.sync,
    triggeredBy: row.triggered_by,
    resubmittedFrom: row.resubmitted_from,
    nextAttemptAt: row.next_attempt_at ? new Date(row.next_attempt_at).toISOString() : null,
    finishedAt: row.finished_at ? new Date(row.finished_at).toISOString() : null,
    bodySize: Number(row.body_size),
  };
}
