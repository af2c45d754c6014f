import { z } from 'zod';
import { STREAM_FRAMES } from '../events/frame-view';
import { StreamHeaders, StreamQuery } from '../events/stream-query';
import { invalid, type Routes } from './contract';

/** The frames' data as plain JSON Schemas: the stream is text, so the document describes it without checking it. */
const frameSchemas = STREAM_FRAMES.map((frame) => {
  const { $schema: _dialect, ...schema } = z.toJSONSchema(frame, { io: 'output' });
  return schema;
});

/** GET /api/events/stream: server-sent events for runners and logins. */
export const EVENT_STREAM_ROUTES: Routes = {
  '/api/events/stream': {
    get: {
      tags: ['Runners'],
      access: 'viewer+runner',
      summary: 'Server-sent events for runners: each accepted message with a normalized event, and the frames of parked tasks',
      description: [
        'Takes a runner token or a login of any role (session or personal token). Frames: `event: pluginWebhook` for every accepted message with a normalized event;',
        '`event: taskResumed` and `event: taskMessage` for the runner\'s own tasks (a login sees all). Each frame\'s `id:` is its number in the event log.',
        'Reconnecting with `Last-Event-ID` (or `lastEventId`) sends every frame since that is still kept (HOOKLINE_EVENT_RETENTION, 3 days), then the live ones;',
        'when older frames were removed, the first frame is `event: gap`. Without one the stream starts live; `from=0` replays every frame kept.',
        'A runner scoped to providers sees only their pluginWebhook frames. A `: heartbeat` comment comes every HOOKLINE_STREAM_HEARTBEAT (15 s).',
        'A client whose connection takes no data for HOOKLINE_STREAM_DRAIN_TIMEOUT, or that falls HOOKLINE_STREAM_MAX_LAG frames further behind, gets `event: reconnect` and the stream ends.',
      ].join(' '),
      query: StreamQuery,
      headers: StreamHeaders,
      responses: {
        200: {
          description: "An endless text/event-stream of frames; each frame's data is one of these",
          content: { 'text/event-stream': { schema: { oneOf: frameSchemas } } },
        },
        ...invalid,
      },
    },
  },
};
