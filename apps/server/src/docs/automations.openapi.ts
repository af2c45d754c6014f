import { z } from 'zod';
import { CreateAutomationInput, ManualRunInput, UpdateAutomationInput } from '../automations/automation-input';
import { AutomationView, RunRetryCount, RunRetryOutcome, RunView } from '../automations/automation-view';
import { RunListQuery, RunRetryInput } from '../automations/runs.service';
import { TestPollInput } from '../scm-polling/scm-poll.service';
import { ScmStateView, ScmTestPollView } from '../scm-polling/scm-poll-view';
import { error, idParams, invalid, notFound, type Routes } from './contract';

const tags = ['Automations'];
const nameTaken = { 409: error('An automation of this name exists') };
const dryRunCount = (what: string) => ({ description: `dryRun: how many ${what} match, and how many a retry with this limit would take`, body: RunRetryCount });

/** Automations, their runs, and their SCM polls. */
export const AUTOMATION_ROUTES: Routes = {
  '/api/automations': {
    get: { tags, access: 'viewer', summary: 'List automations', responses: { 200: { description: 'OK', body: z.array(AutomationView) } } },
    post: { tags, access: 'editor', summary: 'Create', body: CreateAutomationInput, responses: { 201: { description: 'Created', body: AutomationView }, ...invalid, ...nameTaken } },
  },
  '/api/automations/{id}': {
    get: { tags, access: 'viewer', summary: 'Get one', params: idParams, responses: { 200: { description: 'OK', body: AutomationView }, ...notFound } },
    put: {
      tags,
      access: 'editor',
      summary: 'Change the fields given (others stay as they are)',
      params: idParams,
      body: UpdateAutomationInput,
      responses: { 200: { description: 'OK', body: AutomationView }, ...invalid, ...notFound, ...nameTaken },
    },
    delete: { tags, access: 'editor', summary: 'Delete', params: idParams, responses: { 204: 'Deleted', ...notFound } },
  },
  '/api/automations/{id}/run': {
    post: {
      tags,
      access: 'editor',
      summary: 'Run now, with optional variables for {{vars.<name>}}',
      params: idParams,
      body: ManualRunInput,
      bodyRequired: false,
      responses: { 202: { description: 'The run, pending (or skipped when disabled)', body: RunView }, ...invalid, ...notFound },
    },
  },
  '/api/automations/{id}/test-poll': {
    post: {
      tags,
      access: 'editor',
      summary: "Test Poll: ask the host for each watched branch's head now and say what a poll would do, with the saved scmPoll or a draft",
      description:
        'A dry run: nothing is written, no run starts. A draft of another provider or repository is compared with no earlier SHA (every branch would record a baseline). ' +
        '400 when the automation has no scmPoll and none is sent, for a draft that is invalid or names no Git provider, and with HOOKLINE_SCM_POLLING=false. ' +
        'Host failures are part of the answer, per branch.',
      params: idParams,
      body: TestPollInput,
      bodyRequired: false,
      responses: { 200: { description: 'The report', body: ScmTestPollView }, ...invalid, ...notFound },
    },
  },
  '/api/automations/{id}/scm-state': {
    get: {
      tags,
      access: 'viewer',
      summary: 'The poll state of each watched branch: last SHA, last poll, errors, backoff, next attempt',
      params: idParams,
      responses: { 200: { description: 'OK', body: ScmStateView }, 404: error('No such automation') },
    },
  },
  '/api/automations/{id}/runs': {
    get: { tags, access: 'viewer', summary: 'Its runs, newest first (100)', params: idParams, responses: { 200: { description: 'OK', body: z.array(RunView) }, ...notFound } },
  },
  '/api/runs': {
    get: {
      tags,
      access: 'viewer',
      summary: 'Runs of every automation, newest first, with cursor paging',
      query: RunListQuery,
      responses: { 200: { description: 'A page', body: z.strictObject({ items: z.array(RunView), nextCursor: z.string().nullable() }) }, ...invalid },
    },
  },
  '/api/runs/retry': {
    post: {
      tags,
      access: 'editor',
      summary: 'Retry every failed or dead run matching a filter, or the listed ids (at most 1000, oldest first); or with dryRun only count them',
      body: RunRetryInput,
      responses: { 202: { description: 'Retried', body: RunRetryOutcome }, 200: dryRunCount('failed or dead runs'), ...invalid },
    },
  },
  '/api/runs/{id}': {
    get: { tags, access: 'viewer', summary: 'One run: trigger, rendered fields, status, output, earlier attempts, timings', params: idParams, responses: { 200: { description: 'OK', body: RunView }, ...notFound } },
  },
  '/api/runs/{id}/retry': {
    post: {
      tags,
      access: 'editor',
      summary: 'Put a failed or dead run back to pending with a fresh set of retries; its attempts so far stay in earlierAttempts',
      params: idParams,
      responses: { 202: { description: 'The run, pending', body: RunView }, ...notFound, 409: error('The run is not failed or dead') },
    },
  },
};
