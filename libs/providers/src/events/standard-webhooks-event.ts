import { buildEvent, fieldsOf, header, text } from './event-fields';
import type { EventDescription, EventInput } from './event-types';

/**
 * Standard Webhooks (Svix and others): the event is the body's `type` (`invoice.paid`), also used
 * as the key. The message id header is the idempotency key; Svix sends `svix-id`, the standard
 * names it `webhook-id`, and both carry the same value when a sender sends both.
 */
export function describeStandardWebhooksEvent({ headers, payload }: EventInput): EventDescription {
  const eventType = text(fieldsOf(payload), 'type') ?? null;
  const deliveryId = header(headers, 'svix-id', 'webhook-id');
  const event = eventType === null ? null : buildEvent('standard-webhooks', eventType, { key: eventType });
  return { eventType, event, deliveryId };
}
