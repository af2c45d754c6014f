import { z } from 'zod';
import { ValidationFailedError } from '../common/errors';
import { validate } from '../common/validate';
import type { Glob, StreamFilter } from './event-frames';

/** Where a stream starts: after a frame the client saw, at the oldest frame kept, or at the head (live only). */
export type StreamStart = { after: number } | 'oldest' | 'head';

const FRAME_ID = /^\d{1,15}$/;

/** `GET /api/events/stream`. */
export const StreamQuery = z.strictObject({
  key: z
    .string()
    .max(2000, 'must be at most 2000 characters')
    .optional()
    .describe('Only pluginWebhook frames with one of these event keys: a comma-separated list, `*` matching anything (`pull_request:*,push`)'),
  repository: z
    .string()
    .max(2000, 'must be at most 2000 characters')
    .optional()
    .describe('Only pluginWebhook frames of one of these repositories, case-insensitive: a comma-separated list, `*` matching anything (`octo-org/*`)'),
  lastEventId: z
    .string()
    .regex(FRAME_ID, 'must be the id of a frame of this stream (a whole number)')
    .optional()
    .describe('Resume after this frame, for clients that cannot set headers; the Last-Event-ID header wins'),
  from: z
    .literal('0', { error: 'only 0 is accepted: it replays every frame still kept; to resume, send Last-Event-ID' })
    .optional()
    .describe('0: replay every frame still kept, then go on live (a Last-Event-ID wins over it)'),
});

/** The stream's header, checked by parseStreamQuery. */
export const StreamHeaders = z.object({
  'Last-Event-ID': z.string().regex(FRAME_ID).optional().describe('Resume after this frame').meta({ example: '1042' }),
});

/** Reads `?key=`, `?repository=`, `?from=0` and the position to resume after (header first, then `?lastEventId=`). */
export function parseStreamQuery(query: unknown, lastEventIdHeader: string | undefined): { filter: StreamFilter; start: StreamStart } {
  const { key, repository, lastEventId, from } = validate(StreamQuery, query);
  const header = lastEventIdHeader?.trim();
  if (header !== undefined && header !== '' && !FRAME_ID.test(header)) {
    throw new ValidationFailedError({ 'Last-Event-ID': 'must be the id of a frame of this stream (a whole number)' });
  }
  const resumeAfter = header || lastEventId;
  const filter: StreamFilter = {
    keys: key === undefined ? null : globs('key', key, false),
    repositories: repository === undefined ? null : globs('repository', repository, true),
  };
  // A position the client holds wins over from=0: an EventSource keeps the URL it was opened with.
  const start: StreamStart = resumeAfter ? { after: Number(resumeAfter) } : from === '0' ? 'oldest' : 'head';
  return { filter, start };
}

function globs(field: string, list: string, caseInsensitive: boolean): Glob[] {
  const items = list
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  if (items.length === 0) throw new ValidationFailedError({ [field]: 'is empty; give one or more values separated by commas, * matching anything (e.g. pull_request:*,push)' });
  return items.map((text) => ({ text, caseInsensitive }));
}
