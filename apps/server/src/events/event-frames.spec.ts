import type { LoggedEvent } from './event-log';
import { frameOf, isFrameFor, matchesGlob, NO_FILTER, webhookFrameData, type StreamReader } from './event-frames';
import { PluginWebhookFrame } from './frame-view';
import { parseStreamQuery } from './stream-query';
import { ValidationFailedError } from '../common/errors';

const PROVIDER_A = '0b3f4f7e-8d0a-4c55-9f43-6a1d3b2c1e01';
const PROVIDER_B = '0b3f4f7e-8d0a-4c55-9f43-6a1d3b2c1e02';
const RUNNER = '7c1e2d3f-0000-4000-8000-000000000001';
const OTHER_RUNNER = '7c1e2d3f-0000-4000-8000-000000000002';

function row(fields: Partial<LoggedEvent>): LoggedEvent {
  return {
    seq: 7,
    kind: 'pluginWebhook',
    messageId: 'c7d1f7b4-1f70-4f7a-9d8e-8f6c2a9b0e11',
    providerId: PROVIDER_A,
    providerName: 'GitHub',
    runnerId: null,
    taskId: null,
    key: 'pull_request:merged',
    repository: 'Codertocat/Hello-World',
    event: { provider: 'github', type: 'pull_request', action: 'closed', key: 'pull_request:merged', repository: 'Codertocat/Hello-World' },
    receivedAt: new Date('2025-12-16T10:00:00.000Z'),
    ...fields,
  };
}

const admin: StreamReader = { kind: 'admin' };
const runner: StreamReader = { kind: 'runner', runnerId: RUNNER, name: 'ci', providerIds: null };
const scoped: StreamReader = { kind: 'runner', runnerId: RUNNER, name: 'ci', providerIds: [PROVIDER_B] };

const filterOf = (query: Record<string, string>) => parseStreamQuery(query, undefined).filter;

describe('which event log rows a stream client gets', () => {
  it('sends task frames to the runner they are for, and to admins, and to no other runner', () => {
    for (const kind of ['taskResumed', 'taskMessage'] as const) {
      const task = row({ kind, runnerId: RUNNER, providerId: null, key: null, repository: null, event: { taskId: 't1' } });
      expect(isFrameFor(task, runner, NO_FILTER)).toBe(true);
      expect(isFrameFor(task, scoped, NO_FILTER)).toBe(true);
      expect(isFrameFor(task, admin, NO_FILTER)).toBe(true);
      expect(isFrameFor(task, { ...runner, runnerId: OTHER_RUNNER }, NO_FILTER)).toBe(false);
      expect(isFrameFor({ ...task, runnerId: null }, runner, NO_FILTER)).toBe(false);
    }
  });

  it('sends a scoped runner only its providers\' webhook frames, and an unscoped one and admins all of them', () => {
    expect(isFrameFor(row({}), scoped, NO_FILTER)).toBe(false);
    expect(isFrameFor(row({ providerId: PROVIDER_B }), scoped, NO_FILTER)).toBe(true);
    expect(isFrameFor(row({ providerId: null }), scoped, NO_FILTER)).toBe(false);
    expect(isFrameFor(row({}), runner, NO_FILTER)).toBe(true);
    expect(isFrameFor(row({}), admin, NO_FILTER)).toBe(true);
  });

  it('filters webhook frames by key globs and repository, and leaves task frames alone', () => {
    expect(isFrameFor(row({}), admin, filterOf({ key: 'pull_request:*' }))).toBe(true);
    expect(isFrameFor(row({}), admin, filterOf({ key: 'push, pull_request:opened' }))).toBe(false);
    expect(isFrameFor(row({ key: 'push' }), admin, filterOf({ key: 'push, pull_request:opened' }))).toBe(true);
    expect(isFrameFor(row({}), admin, filterOf({ repository: 'codertocat/hello-world' }))).toBe(true);
    expect(isFrameFor(row({}), admin, filterOf({ repository: 'octo-org/*' }))).toBe(false);
    expect(isFrameFor(row({ repository: null }), admin, filterOf({ repository: '*' }))).toBe(false);
    const task = row({ kind: 'taskResumed', runnerId: RUNNER, key: null, repository: null });
    expect(isFrameFor(task, runner, filterOf({ key: 'push', repository: 'a/b' }))).toBe(true);
  });

  it('matches globs without regular expressions, in time bounded by the lengths', () => {
    const glob = (text: string) => ({ text, caseInsensitive: false });
    expect(matchesGlob(glob('pull_request:*'), 'pull_request:merged')).toBe(true);
    expect(matchesGlob(glob('pull_request:*'), 'pull_request')).toBe(false);
    expect(matchesGlob(glob('*:merged'), 'pull_request:merged')).toBe(true);
    expect(matchesGlob(glob('p*r*d'), 'pull_request:merged')).toBe(true);
    expect(matchesGlob(glob('push'), 'push:tag')).toBe(false);
    expect(matchesGlob(glob('a.b'), 'axb')).toBe(false);
    expect(matchesGlob(glob('**'), '')).toBe(true);
    // Would take exponential time as a backtracking RegExp.
    expect(matchesGlob(glob(`${'*a'.repeat(60)}b`), 'a'.repeat(2000))).toBe(false);
  });
});

describe('the stream query', () => {
  const refused = (query: Record<string, string>, header?: string) => {
    try {
      parseStreamQuery(query, header);
    } catch (err) {
      return (err as ValidationFailedError).fields;
    }
    throw new Error('accepted');
  };

  it('starts at the head, after Last-Event-ID (header before query), or at the oldest frame with from=0', () => {
    expect(parseStreamQuery({}, undefined).start).toBe('head');
    expect(parseStreamQuery({ from: '0' }, undefined).start).toBe('oldest');
    expect(parseStreamQuery({ lastEventId: '12' }, undefined).start).toEqual({ after: 12 });
    expect(parseStreamQuery({ lastEventId: '12', from: '0' }, '40').start).toEqual({ after: 40 });
  });

  it('refuses what it cannot use, naming the field', () => {
    expect(refused({}, 'abc')).toEqual({ 'Last-Event-ID': 'must be the id of a frame of this stream (a whole number)' });
    expect(refused({ lastEventId: '-1' })).toEqual({ lastEventId: 'must be the id of a frame of this stream (a whole number)' });
    expect(refused({ from: 'head' }).from).toMatch(/only 0 is accepted/);
    expect(refused({ key: ' , ' }).key).toMatch(/^is empty; give one or more values/);
    expect(refused({ keys: 'push' }).keys).toMatch(/^is not a field here/);
  });
});

describe('a frame', () => {
  it('carries the seq as its id, the kind as its event and every field of a webhook frame', () => {
    const text = frameOf(row({ event: { type: 'pull_request', action: 'closed', branch: 'feature\nx', pullRequest: { number: 2, state: 'merged', merged: true } } }));
    const lines = text.split('\n');
    expect(lines.slice(0, 2)).toEqual(['id: 7', 'event: pluginWebhook']);
    expect(text.endsWith('\n\n')).toBe(true);
    expect(lines).toHaveLength(5);
    expect(JSON.parse(lines[2].slice('data: '.length))).toEqual({
      id: 7,
      messageId: 'c7d1f7b4-1f70-4f7a-9d8e-8f6c2a9b0e11',
      provider: PROVIDER_A,
      providerName: 'GitHub',
      key: 'pull_request:merged',
      type: 'pull_request',
      action: 'closed',
      repository: 'Codertocat/Hello-World',
      branch: 'feature\nx',
      sha: null,
      pullRequest: { number: 2, state: 'merged', merged: true },
      issue: null,
      actor: null,
      url: null,
      receivedAt: '2025-12-16T10:00:00.000Z',
    });
  });

  it('matches the webhook frame the API document describes', () => {
    const data = webhookFrameData(row({ event: { type: 'pull_request', action: 'closed', issue: 12, pullRequest: { number: 2, state: 'merged', merged: true } } }));
    expect(PluginWebhookFrame.safeParse(data).error).toBeUndefined();
  });

  it('sends a task frame\'s logged data as it is', () => {
    const text = frameOf(row({ seq: 9, kind: 'taskMessage', runnerId: RUNNER, event: { taskId: 't1', message: { a: 1 } } }));
    expect(text).toBe('id: 9\nevent: taskMessage\ndata: {"taskId":"t1","message":{"a":1}}\n\n');
  });
});
