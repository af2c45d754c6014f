import type { EventSource } from '../../../engine/src/ports';
import { at, fieldsOf, header, text } from './event-fields';
import type { EventDescription, EventInput } from './event-types';
import { conventionalEvent } from './generic-event';

/**
 * A provider made from a descriptor: the event type is the value of the header or payload field
 * the descriptor names, the delivery id that of its delivery-id header; the rest as `generic`
 * reads it (`action`, `ref`/`branch`, `after`/`sha`, `before`). Without a source it names nothing.
 */
export function describeDescriptorEvent({ headers, payload }: EventInput, source: EventSource | undefined): EventDescription {
  const eventType = source?.header !== undefined ? header(headers, source.header) : source?.field !== undefined ? fieldText(payload, source.field) : null;
  const deliveryId = source?.deliveryIdHeader !== undefined ? header(headers, source.deliveryIdHeader) : null;
  return { eventType, event: eventType === null ? null : conventionalEvent('descriptor', eventType, fieldsOf(payload)), deliveryId };
}

/**
 * The text at a dotted path (`meta.event`, `events.0.type`): each step an own property, or on an
 * array an index. Numbers are written out; anything else, or a missing step, is null.
 */
export function fieldText(payload: unknown, path: string): string | null {
  let current = payload;
  for (const step of path.split('.')) {
    current = Array.isArray(current) && /^\d+$/.test(step) ? (current as unknown[])[Number(step)] : at(current, step);
  }
  return text(current) ?? null;
}
