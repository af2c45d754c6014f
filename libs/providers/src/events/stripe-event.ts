import { buildEvent, fieldsOf, text } from './event-fields';
import type { EventDescription, EventInput } from './event-types';

/**
 * Stripe: the event is the body's `type` (`payment_intent.succeeded`), which is already a
 * stable, dotted name and so is also the key; the delivery id is the event's `id` (`evt_...`).
 */
export function describeStripeEvent({ payload }: EventInput): EventDescription {
  const body = fieldsOf(payload);
  const eventType = text(body, 'type') ?? null;
  const deliveryId = text(body, 'id') ?? null;
  const event = eventType === null ? null : buildEvent('stripe', eventType, { key: eventType });
  return { eventType, event, deliveryId };
}
