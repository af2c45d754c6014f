import { z } from 'zod';
import { instant, uuid } from '../docs/contract';

const nullableText = z.string().nullable();

/** The data of an `event: pluginWebhook` frame (webhookFrameData). */
export const PluginWebhookFrame = z
  .strictObject({
    id: z.number().int().describe("The frame's number, as in its `id:`"),
    messageId: uuid.nullable(),
    provider: uuid.nullable().describe('The provider id'),
    providerName: nullableText,
    key: z.string().nullable().meta({ example: 'pull_request:merged' }),
    type: z.string().nullable().meta({ example: 'pull_request' }),
    action: nullableText,
    repository: nullableText,
    branch: nullableText,
    sha: nullableText,
    pullRequest: z.object({ number: z.number().int(), state: z.string(), merged: z.boolean() }).nullable(),
    issue: z.union([z.string(), z.number().int()]).nullable(),
    actor: nullableText,
    url: nullableText,
    receivedAt: instant,
  })
  .describe("event: pluginWebhook, an accepted message's normalized event; fields the event does not have are null");

/** The data of each kind of frame, as event-frames.ts, event-stream.ts and the task services write them. */
export const STREAM_FRAMES = [
  PluginWebhookFrame,
  z
    .strictObject({ taskId: uuid, name: z.string(), runId: uuid, status: z.string(), resumedBy: z.record(z.string(), z.unknown()).nullable() })
    .describe('event: taskResumed, for the runner that parked the task: it is queued again, and what resumed it'),
  z
    .strictObject({ taskId: uuid, message: z.strictObject({ id: uuid, text: z.string(), at: instant, by: z.string() }) })
    .describe("event: taskMessage, for the task's runner: an operator's message for its inbox"),
  z
    .strictObject({ requestedAfter: z.number().int(), oldestAvailable: z.number().int() })
    .describe('event: gap (no id), frames after requestedAfter and before oldestAvailable were removed by retention'),
  z.strictObject({ reason: z.string() }).describe('event: reconnect, the last before the server ends the stream: reconnect with Last-Event-ID'),
];
