import { buildEvent, fallbackKey, fieldsOf, firstText, header, refParts, text } from './event-fields';
import type { EventDescription, EventInput } from './event-types';

/**
 * Any other sender: the event type from an `X-Event-Type` or `X-Event` header, else the body's
 * `type` or `event`; the delivery id from the usual request-id headers. The few fields most
 * senders share by convention (`action`, `ref`/`branch`, `after`/`sha`, `before`) are picked up.
 */
export function describeGenericEvent({ headers, payload }: EventInput): EventDescription {
  const body = fieldsOf(payload);
  const eventType = header(headers, 'x-event-type', 'x-event') ?? text(body, 'type') ?? text(body, 'event') ?? null;
  const deliveryId = header(headers, 'x-delivery-id', 'x-request-id', 'idempotency-key');
  if (eventType === null) return { eventType, event: null, deliveryId };
  const action = text(body, 'action') ?? null;
  const { branch, tag } = refParts(firstText(text(body, 'ref'), text(body, 'branch')));
  const event = buildEvent('generic', eventType, {
    key: fallbackKey(eventType, action),
    action,
    branch,
    tag,
    sha: firstText(text(body, 'after'), text(body, 'sha')),
    beforeSha: text(body, 'before'),
  });
  return { eventType, event, deliveryId };
}
