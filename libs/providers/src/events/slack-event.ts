import { buildEvent, fallbackKey, fieldsOf, firstText, formJson, text } from './event-fields';
import type { EventDescription, EventInput, NormalizedEvent } from './event-types';

/**
 * Slack sends three body shapes, all signed alike:
 * - Events API JSON: `type` is `url_verification`, `event_callback`, ...; the inner event is
 *   `event.type` (taken as the action) and `event_id` dedupes retries;
 * - slash commands, form-encoded with a `command` field: named `slash_command`, the command
 *   (`/deploy`) as the action;
 * - interactivity, form-encoded with the JSON in a `payload` field: its `type` (`block_actions`, ...).
 */
export function describeSlackEvent({ payload }: EventInput): EventDescription {
  const form = fieldsOf(payload);
  const command = text(form, 'command');
  if (command !== undefined) {
    return { eventType: 'slash_command', deliveryId: null, event: slackEvent('slash_command', command, text(form, 'user_name')) };
  }
  const body = fieldsOf(formJson(payload, 'payload')) ?? form;
  const eventType = text(body, 'type') ?? null;
  const deliveryId = text(body, 'event_id') ?? null;
  if (eventType === null || body === undefined) return { eventType, event: null, deliveryId };
  const action = text(body, 'event', 'type') ?? null;
  const actor = firstText(text(body, 'event', 'user'), text(body, 'user', 'username'), text(body, 'user', 'id'));
  return { eventType, deliveryId, event: slackEvent(eventType, action, actor) };
}

function slackEvent(type: string, action: string | null, actor: string | undefined): NormalizedEvent {
  return buildEvent('slack', type, { key: fallbackKey(type, action), action, actor });
}
