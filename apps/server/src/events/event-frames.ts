import type { LoggedEvent } from './event-log';

/** Who reads a stream: an admin sees every frame; a runner the frames of its own tasks and, when scoped, only its providers' webhooks. */
export type StreamReader = { kind: 'admin' } | { kind: 'runner'; runnerId: string; name: string; providerIds: string[] | null };

/** What a client asked for (`?key=`, `?repository=`); null lets everything through. Applies to `pluginWebhook` frames. */
export interface StreamFilter {
  keys: Glob[] | null;
  repositories: Glob[] | null;
}

export const NO_FILTER: StreamFilter = { keys: null, repositories: null };

/** A glob where `*` stands for any run of characters (`pull_request:*`); everything else is literal. */
export interface Glob {
  text: string;
  caseInsensitive: boolean;
}

/**
 * Whether `value` matches `glob`. Written out rather than turned into a RegExp: a client's
 * pattern with many stars must not make the matcher backtrack exponentially. This one is
 * O(length × length) at worst: on a mismatch it only ever moves the last star on.
 */
export function matchesGlob(glob: Glob, value: string): boolean {
  const pattern = glob.caseInsensitive ? glob.text.toLowerCase() : glob.text;
  const text = glob.caseInsensitive ? value.toLowerCase() : value;
  let p = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    if (p < pattern.length && pattern[p] !== '*' && pattern[p] === text[t]) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      resume = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

/** Whether a row of the event log is sent to `reader` under `filter`. Skipped rows still move the reader's position. */
export function isFrameFor(event: LoggedEvent, reader: StreamReader, filter: StreamFilter): boolean {
  switch (event.kind) {
    case 'pluginWebhook':
      if (reader.kind === 'runner' && reader.providerIds !== null && (event.providerId === null || !reader.providerIds.includes(event.providerId))) return false;
      return matchesAny(filter.keys, event.key) && matchesAny(filter.repositories, event.repository);
    case 'taskResumed':
    case 'taskMessage':
      return reader.kind === 'admin' || event.runnerId === reader.runnerId;
  }
}

function matchesAny(globs: Glob[] | null, value: string | null): boolean {
  if (globs === null) return true;
  return value !== null && globs.some((glob) => matchesGlob(glob, value));
}

/** The data of a `pluginWebhook` frame: the message's normalized event, each field present (null when the event has none). */
export function webhookFrameData(event: LoggedEvent): Record<string, unknown> {
  const normalized = event.event;
  const field = (name: string) => normalized[name] ?? null;
  return {
    id: event.seq,
    messageId: event.messageId,
    provider: event.providerId,
    providerName: event.providerName,
    key: event.key,
    type: field('type'),
    action: field('action'),
    repository: event.repository,
    branch: field('branch'),
    sha: field('sha'),
    pullRequest: field('pullRequest'),
    issue: field('issue'),
    actor: field('actor'),
    url: field('url'),
    receivedAt: event.receivedAt.toISOString(),
  };
}

/** The SSE text of a row: its number as the id (what Last-Event-ID resumes after), its kind as the event name. */
export function frameOf(event: LoggedEvent): string {
  // Task frames carry what their writer put in the log, as it is.
  const data = event.kind === 'pluginWebhook' ? webhookFrameData(event) : event.event;
  // JSON.stringify escapes line breaks, so the data is always one line.
  return `id: ${event.seq}\nevent: ${event.kind}\ndata: ${JSON.stringify(data)}\n\n`;
}
