import { ApiError } from '../api/api-error';
import { draftOf, inputOf, varsOf } from './automation-draft';
import type { Automation } from './automation-types';

const stored: Automation = {
  id: '5d1c1e7e-1111-4f4f-9a9a-000000000001',
  name: 'deploy',
  description: 'Deploy the pushed commit',
  enabled: true,
  schedule: '0 9 * * 1-5',
  timeZone: 'Europe/Berlin',
  nextRunAt: null,
  target: { kind: 'command', command: null, argv: ['/srv/deploy.sh', '--ref={{webhook.ref}}'], shell: false, timeoutMs: 600_000 },
  retry: { attempts: 2, delayMs: 1000, maxDelayMs: 3_600_000 },
  events: ['run.dead'],
  scmPoll: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

describe('the automation draft', () => {
  it('gives back a stored argv automation unchanged', () => {
    const input = inputOf(draftOf(stored));
    expect(input).toEqual({
      name: 'deploy',
      description: 'Deploy the pushed commit',
      enabled: true,
      schedule: '0 9 * * 1-5',
      timeZone: 'Europe/Berlin',
      target: stored.target,
      retry: { attempts: 2, delayMs: 1000, maxDelayMs: 3_600_000 },
      events: ['run.dead'],
      scmPoll: null,
    });
  });

  it('sends a command line when a shell is asked for, even if argv was being edited', () => {
    const draft = draftOf(stored);
    draft.shell = true;
    draft.command = 'echo {{vars.who}} | tee out';
    expect(inputOf(draft).target).toEqual({ kind: 'command', command: 'echo {{vars.who}} | tee out', argv: null, shell: true, timeoutMs: 600_000 });
  });

  it('keeps empty arguments except a trailing blank line', () => {
    const draft = draftOf(undefined);
    draft.commandMode = 'argv';
    draft.argv = 'printf\n%s|%s\n\nx\n';
    expect(inputOf(draft).target).toMatchObject({ argv: ['printf', '%s|%s', '', 'x'], command: null });
  });

  it('builds an http target with its headers, an empty schedule as none, and unreadable numbers as typed', () => {
    const draft = draftOf(undefined);
    draft.kind = 'http';
    draft.url = 'https://ci.example.com/build/{{webhook.repo}}';
    draft.headers = [{ name: ' x-token ', value: 'abc' }, { name: '', value: 'ignored' }];
    draft.httpTimeoutMs = 'soon';
    draft.retryDelayMs = '1500';
    const input = inputOf(draft);
    expect(input.schedule).toBeNull();
    expect(input.target).toEqual({ kind: 'http', method: 'POST', url: 'https://ci.example.com/build/{{webhook.repo}}', headers: { 'x-token': 'abc' }, body: null, timeoutMs: 'soon' });
    expect(input.retry).toEqual({ delayMs: 1500 });
  });

  it('names the params field when a task has params that are not a JSON object', () => {
    const draft = draftOf(undefined);
    draft.kind = 'task';
    draft.taskName = 'build';
    draft.params = '[1, 2]';
    expect(() => inputOf(draft)).toThrow(ApiError);
    try {
      inputOf(draft);
    } catch (err) {
      expect((err as ApiError).fields['target.params']).toContain('JSON object');
    }
    draft.params = '{"env": "staging"}';
    expect(inputOf(draft).target).toEqual({ kind: 'task', name: 'build', instructions: '', params: { env: 'staging' } });
  });

  it('reads run variables from named rows only', () => {
    expect(varsOf([{ name: ' who ', value: 'world' }, { name: '', value: 'x' }])).toEqual({ who: 'world' });
  });
});
