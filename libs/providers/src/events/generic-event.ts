import { buildEvent, fallbackKey, type Fields, fieldsOf, firstText, header, refParts, text } from './event-fields';
import type { EventDescription, EventFormat, EventInput, NormalizedEvent } from './event-types';

/**
 * Any other sender: the event type from an `X-Event-Type` or `X-Event` header, else the body's
 * `type` or `event`; the delivery id from the usual request-id headers. The few fields most
 * senders share by convention (`action`, `ref`/`branch`, `after`/`sha`, `before`) are picked up.
 */
export function describeGenericEvent({ headers, payload }: EventInput): EventDescription {
  const body = fieldsOf(payload);
  const eventType = header(headers, 'x-event-type', 'x-event') ?? text(body, 'type') ?? text(body, 'event') ?? null;
  const deliveryId = header(headers, 'x-delivery-id', 'x-request-id', 'idempotency-key');
  return { eventType, event: eventType === null ? null : conventionalEvent('generic', eventType, body), deliveryId };
}

/** The event of a sender with no format of its own: the fields most senders share by convention. */
export function conventionalEvent(format: EventFormat, eventType: string, body: Fields | undefined): NormalizedEvent {
  const action = text(body, 'action') ?? null;
  const { branch, tag } = refParts(firstText(text(body, 'ref'), text(body, 'branch')));
  return buildEvent(format, eventType, {
    key: fallbackKey(eventType, action),
    action,
    branch,
    tag,
    sha: firstText(text(body, 'after'), text(body, 'sha')),
    beforeSha: text(body, 'before'),
  });
}
