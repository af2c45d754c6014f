import { ApiError } from '../api/api-error';
import { numberOrText, textOf } from '../shared/number-text';
import {
  FAILURE_EVENTS,
  type Automation,
  type AutomationInput,
  type AutomationTarget,
  type FailureEvent,
  type HttpMethod,
  type TargetKind,
} from './automation-types';
import { scmPollDraftOf, scmPollInputOf, type ScmPollDraft } from './scm-poll-draft';

/** One editable name/value row (an http header, a variable of a manual run). */
export interface NameValueRow {
  name: string;
  value: string;
}

/**
 * The edit form's state: text as the inputs hold it, for every target kind at once so that
 * switching kinds keeps what was typed. `inputOf` turns it into what the API takes.
 */
export interface AutomationDraft {
  name: string;
  description: string;
  enabled: boolean;
  schedule: string;
  timeZone: string;
  kind: TargetKind;
  /** `line`: one command string the server splits (or runs with a shell); `argv`: one argument per line. */
  commandMode: 'line' | 'argv';
  command: string;
  argv: string;
  shell: boolean;
  commandTimeoutMs: string;
  method: HttpMethod;
  url: string;
  headers: NameValueRow[];
  body: string;
  httpTimeoutMs: string;
  taskName: string;
  instructions: string;
  /** JSON object text. */
  params: string;
  retryAttempts: string;
  retryDelayMs: string;
  retryMaxDelayMs: string;
  events: Record<FailureEvent, boolean>;
  scmPoll: ScmPollDraft;
}

export function draftOf(automation: Automation | undefined): AutomationDraft {
  const target = automation?.target;
  const command = target?.kind === 'command' ? target : undefined;
  const http = target?.kind === 'http' ? target : undefined;
  const task = target?.kind === 'task' ? target : undefined;
  const retry: AutomationInput['retry'] = automation?.retry ?? {};
  return {
    name: automation?.name ?? '',
    description: automation?.description ?? '',
    enabled: automation?.enabled ?? true,
    schedule: automation?.schedule ?? '',
    timeZone: automation?.timeZone ?? 'UTC',
    kind: target?.kind ?? 'command',
    commandMode: command && command.command === null ? 'argv' : 'line',
    command: command?.command ?? '',
    argv: (command?.argv ?? []).join('\n'),
    shell: command?.shell ?? false,
    commandTimeoutMs: String(command?.timeoutMs ?? 60_000),
    method: (http?.method ?? 'POST') as HttpMethod,
    url: http?.url ?? '',
    headers: Object.entries(http?.headers ?? {}).map(([name, value]) => ({ name, value })),
    body: http?.body ?? '',
    httpTimeoutMs: String(http?.timeoutMs ?? 10_000),
    taskName: task?.name ?? '',
    instructions: task?.instructions ?? '',
    params: JSON.stringify(task?.params ?? {}, null, 2),
    retryAttempts: textOf(retry.attempts),
    retryDelayMs: textOf(retry.delayMs),
    retryMaxDelayMs: textOf(retry.maxDelayMs),
    events: Object.fromEntries(FAILURE_EVENTS.map((event) => [event, automation?.events.includes(event) ?? false])) as Record<FailureEvent, boolean>,
    scmPoll: scmPollDraftOf(automation?.scmPoll ?? null),
  };
}

/**
 * What a save sends. Numbers the browser cannot read go as typed, so the server names what is
 * wrong with them; only the params JSON is checked here, since the server never sees its text.
 */
export function inputOf(draft: AutomationDraft): AutomationInput {
  return {
    name: draft.name,
    description: draft.description,
    enabled: draft.enabled,
    schedule: draft.schedule.trim() === '' ? null : draft.schedule.trim(),
    timeZone: draft.timeZone.trim(),
    target: targetOf(draft),
    retry: retryOf(draft),
    events: FAILURE_EVENTS.filter((event) => draft.events[event]),
    scmPoll: scmPollInputOf(draft.scmPoll),
  };
}

function targetOf(draft: AutomationDraft): AutomationTarget {
  switch (draft.kind) {
    case 'command': {
      const line = draft.shell || draft.commandMode === 'line';
      return {
        kind: 'command',
        command: line ? draft.command : null,
        argv: line ? null : draft.argv.split('\n').filter((arg, i, all) => arg !== '' || i < all.length - 1),
        shell: draft.shell,
        timeoutMs: numberOrText(draft.commandTimeoutMs) as number,
      };
    }
    case 'http':
      return {
        kind: 'http',
        method: draft.method,
        url: draft.url,
        headers: Object.fromEntries(draft.headers.filter((row) => row.name.trim() !== '').map((row) => [row.name.trim(), row.value])),
        body: draft.body === '' ? null : draft.body,
        timeoutMs: numberOrText(draft.httpTimeoutMs) as number,
      };
    case 'task':
      return { kind: 'task', name: draft.taskName, instructions: draft.instructions, params: paramsOf(draft.params) };
  }
}

function retryOf(draft: AutomationDraft): AutomationInput['retry'] {
  const retry: Record<string, unknown> = {};
  for (const [field, text] of [
    ['attempts', draft.retryAttempts],
    ['delayMs', draft.retryDelayMs],
    ['maxDelayMs', draft.retryMaxDelayMs],
  ] as const) {
    if (text.trim() !== '') retry[field] = numberOrText(text);
  }
  return retry as AutomationInput['retry'];
}

function paramsOf(text: string): Record<string, unknown> {
  let params: unknown;
  try {
    params = text.trim() === '' ? {} : JSON.parse(text);
  } catch (err) {
    throw new ApiError(400, 'The task params are not valid JSON.', { 'target.params': `is not valid JSON: ${(err as Error).message}` });
  }
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    throw new ApiError(400, 'The task params must be a JSON object.', { 'target.params': 'must be a JSON object such as {"env": "staging"}' });
  }
  return params as Record<string, unknown>;
}

/** The variables of a manual run: rows with a name, values as typed. */
export function varsOf(rows: readonly NameValueRow[]): Record<string, string> {
  return Object.fromEntries(rows.filter((row) => row.name.trim() !== '').map((row) => [row.name.trim(), row.value]));
}
