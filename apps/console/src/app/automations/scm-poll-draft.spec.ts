import { inputOf, draftOf } from './automation-draft';
import type { Automation } from './automation-types';
import { scmPollDraftOf, scmPollInputOf } from './scm-poll-draft';
import type { ScmPollView } from './scm-poll-types';

/** A setting as the server answers it: every field, defaults filled in. */
const answered: ScmPollView = {
  providerName: 'github-main',
  repo: 'acme/customer-api',
  branches: ['main', 'release/*'],
  paths: ['src/api/**', 'package.json'],
  minIntervalSeconds: 120,
  webhookDedupWindowSeconds: 0,
  backoff: { baseSeconds: 45, maxSeconds: 900, threshold: 2 },
};

const automation: Automation = {
  id: '5d1c1e7e-1111-4f4f-9a9a-000000000002',
  name: 'build',
  description: '',
  enabled: true,
  schedule: '*/5 * * * *',
  timeZone: 'UTC',
  nextRunAt: null,
  target: { kind: 'command', command: null, argv: ['make'], shell: false, timeoutMs: 60_000 },
  retry: { attempts: 0, delayMs: 1000, maxDelayMs: 3_600_000 },
  events: [],
  scmPoll: answered,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

describe('the scmPoll part of the automation draft', () => {
  it('sends back every field an API user set: globbed branches, paths, intervals and backoff', () => {
    // An answer sent back as it is changes nothing.
    expect(inputOf(draftOf(automation)).scmPoll).toEqual(answered);
  });

  it('keeps one branch listed in branches as a list, and one given as branch as branch', () => {
    const listed = scmPollDraftOf({ ...answered, branches: ['main'] });
    expect(scmPollInputOf(listed)).toMatchObject({ branches: ['main'] });
    expect(scmPollInputOf(listed)).not.toHaveProperty('branch');

    const { branches: _, ...rest } = answered;
    const single = scmPollDraftOf({ ...rest, branch: 'main' });
    expect(single.branches).toBe('main');
    expect(scmPollInputOf(single)).toMatchObject({ branch: 'main' });
    expect(scmPollInputOf(single)).not.toHaveProperty('branches');
  });

  it('sends a new single branch as branch, a glob or several lines as branches, and none as neither for the server to name', () => {
    const draft = scmPollDraftOf(null);
    draft.enabled = true;
    draft.providerName = 'gh';
    draft.repo = ' acme/api ';
    draft.branches = '  main  \n';
    expect(scmPollInputOf(draft)).toEqual({ providerName: 'gh', repo: 'acme/api', branch: 'main', paths: [] });
    draft.branches = 'release/*';
    expect(scmPollInputOf(draft)).toMatchObject({ branches: ['release/*'] });
    draft.branches = 'main\n\n  develop\r\nfeature/x';
    expect(scmPollInputOf(draft)).toMatchObject({ branches: ['main', 'develop', 'feature/x'] });
    draft.branches = '\n \n';
    const none = scmPollInputOf(draft);
    expect(none).not.toHaveProperty('branch');
    expect(none).not.toHaveProperty('branches');
  });

  it('leaves empty numbers to the server’s defaults and sends unreadable ones as typed', () => {
    const draft = scmPollDraftOf(answered);
    draft.minIntervalSeconds = '';
    draft.webhookDedupWindowSeconds = 'five minutes';
    draft.backoffBaseSeconds = '';
    draft.backoffMaxSeconds = '';
    draft.backoffThreshold = ' 4 ';
    const input = scmPollInputOf(draft);
    expect(input).not.toHaveProperty('minIntervalSeconds');
    expect(input?.webhookDedupWindowSeconds).toBe('five minutes');
    expect(input?.backoff).toEqual({ threshold: 4 });
    draft.backoffThreshold = '';
    expect(scmPollInputOf(draft)).not.toHaveProperty('backoff');
  });

  it('stops polling with null when the section is turned off, and keeps what was typed for turning it on again', () => {
    const draft = draftOf(automation);
    draft.scmPoll.enabled = false;
    expect(inputOf(draft).scmPoll).toBeNull();
    draft.scmPoll.enabled = true;
    expect(inputOf(draft).scmPoll).toMatchObject({ paths: ['src/api/**', 'package.json'], backoff: { baseSeconds: 45 } });
    expect(inputOf(draftOf(undefined)).scmPoll).toBeNull();
  });
});
