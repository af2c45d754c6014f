import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import { uuid } from '../docs/contract';
import type { AppConfig } from '../config';
import { ConflictError, NotFoundError, ValidationFailedError } from '../common/errors';
import { CONFIG } from '../common/tokens';
import { decodeCursor, encodeCursor } from '../common/cursor';
import { parseLimit, parseTimeBounds } from '../common/list-filter';
import type { AutomationEntity } from '../database/entities/automation.entity';
import type { RunEntity } from '../database/entities/run.entity';
import { RUN_STATUSES, type EarlierAttempt, type RunRetryCount, type RunRetryOutcome, type RunScmPoll, type RunStatus, type RunTrigger, type RunView } from './automation-view';
import { isUuid } from '../common/ids';
import { RunSignal } from './run-signal';
import { RunsRepository, type RunFilter } from './runs.repository';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;
const MAX_BULK = 1000;

export interface RunOrigin {
  trigger: RunTrigger;
  /** The run's id, when the caller chose it beforehand (to claim its commit before the run exists). */
  runId?: string;
  messageId?: string | null;
  functionId?: string | null;
  endpointId?: string | null;
  vars?: Record<string, unknown>;
  /** What the poll saw, for a run it starts. */
  scmPoll?: RunScmPoll | null;
  /** The commit the run is for. */
  commitSha?: string | null;
}

/** Starting runs: recorded at once as pending (or skipped), carried out by the run worker. */
@Injectable()
export class RunsService {
  constructor(
    private readonly runs: RunsRepository,
    private readonly signal: RunSignal,
    @Inject(CONFIG) readonly config: AppConfig,
  ) {}

  /** A pending run; a disabled automation's is recorded as skipped. */
  async start(automation: AutomationEntity, origin: RunOrigin): Promise<RunEntity> {
    const run = await this.record(automation, origin, automation.enabled ? null : 'the automation is disabled');
    if (automation.enabled) this.signal.notify();
    return run;
  }

  /** A run that is recorded as skipped, with the reason, and never carried out. */
  skip(automation: AutomationEntity, origin: RunOrigin, reason: string): Promise<RunEntity> {
    return this.record(automation, origin, reason);
  }

  private record(automation: AutomationEntity, origin: RunOrigin, skippedBecause: string | null): Promise<RunEntity> {
    return this.runs.insert({
      ...(origin.runId !== undefined && { id: origin.runId }),
      automationId: automation.id,
      automationName: automation.name,
      trigger: origin.trigger,
      messageId: origin.messageId ?? null,
      functionId: origin.functionId ?? null,
      endpointId: origin.endpointId ?? null,
      vars: origin.vars ?? {},
      scmPoll: origin.scmPoll ?? null,
      commitSha: origin.commitSha ?? null,
      status: skippedBecause === null ? 'pending' : 'skipped',
      statusReason: skippedBecause,
      finishedAt: skippedBecause === null ? null : new Date(),
    });
  }

  async get(id: string): Promise<RunView> {
    const run = isUuid(id) ? await this.runs.findById(id) : null;
    if (!run) throw new NotFoundError('run', id);
    return toRunView(run);
  }

  /** Runs of every automation, newest first, filtered (`status=dead` and the like). */
  async list(query: Record<string, string | undefined>) {
    const unknown = Object.keys(query).filter((key) => !LIST_KEYS.includes(key));
    if (unknown.length) throw new ValidationFailedError(Object.fromEntries(unknown.map((key) => [key, `is not a filter; use ${LIST_KEYS.join(', ')}`])));
    const filter = parseFilter(query);
    const limit = parseLimit(query.limit, DEFAULT_LIMIT, MAX_LIMIT);
    const cursor = query.cursor ? decodeCursor(query.cursor) : undefined;
    const rows = await this.runs.list(filter, limit + 1, cursor);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toRunView),
      nextCursor: rows.length > limit && last ? encodeCursor({ receivedAt: last.createdAt, id: last.id }) : null,
    };
  }

  /** A failed or dead run back to pending, with a fresh set of retries; its attempts so far stay in `earlierAttempts`. */
  async retry(id: string): Promise<RunView> {
    const run = isUuid(id) ? await this.runs.findById(id) : null;
    if (!run) throw new NotFoundError('run', id);
    const requeued = await this.requeue(run);
    if (!requeued) {
      throw new ConflictError(`Run ${id} is ${run.status}; only a failed or dead run can be retried`);
    }
    this.signal.notify();
    // As requeued: a worker may have taken it since.
    return toRunView(requeued);
  }

  /**
   * Retries every failed or dead run matching the filter (or the listed ids), oldest first. With
   * `dryRun: true` only counts them, so that a caller can ask before retrying.
   */
  async retryMany(body: unknown): Promise<RunRetryCount | RunRetryOutcome> {
    const input = (body ?? {}) as Record<string, unknown>;
    const allowed = ['status', 'automationId', 'since', 'until', 'ids', 'limit', 'dryRun'];
    const unknown = Object.keys(input).filter((key) => !allowed.includes(key));
    if (unknown.length) throw new ValidationFailedError(Object.fromEntries(unknown.map((key) => [key, `is not a filter; use ${allowed.join(', ')}`])));
    const filter = parseFilter(Object.fromEntries(['status', 'automationId', 'since', 'until'].map((key) => [key, input[key] === undefined ? undefined : String(input[key])])));
    if (filter.status && filter.status !== 'failed' && filter.status !== 'dead') throw new ValidationFailedError({ status: 'must be failed or dead: only those are retried' });
    if (input.ids !== undefined) {
      if (!Array.isArray(input.ids) || input.ids.some((value) => typeof value !== 'string' || !isUuid(value))) throw new ValidationFailedError({ ids: 'must be a list of run ids' });
      filter.ids = input.ids as string[];
    }
    if (Object.keys(filter).length === 0) {
      throw new ValidationFailedError({ body: 'name ids or at least one filter (status, automationId, since, until); retrying everything is not allowed' });
    }
    const limit = parseLimit(input.limit === undefined ? undefined : String(input.limit), MAX_BULK, MAX_BULK);
    if (input.dryRun !== undefined && typeof input.dryRun !== 'boolean') throw new ValidationFailedError({ dryRun: 'must be true or false' });
    if (input.dryRun) {
      const matching = await this.runs.countRetryable(filter);
      return { dryRun: true, matching, count: Math.min(matching, limit), limit };
    }
    const retried: string[] = [];
    for (const id of await this.runs.listRetryableIds(filter, limit)) {
      const run = await this.runs.findById(id);
      if (run && (await this.requeue(run))) retried.push(id);
    }
    if (retried.length) this.signal.notify();
    return { count: retried.length, retried };
  }

  /** The run's last attempt joins its earlier ones. */
  private requeue(run: RunEntity): Promise<RunEntity | null> {
    const last: EarlierAttempt = {
      statusReason: run.statusReason,
      output: run.output,
      startedAt: run.startedAt?.toISOString() ?? null,
      finishedAt: (run.finishedAt ?? new Date()).toISOString(),
    };
    return this.runs.requeue(run.id, last);
  }

  async listForAutomation(automationId: string, limit = 100): Promise<RunView[]> {
    return (await this.runs.listForAutomation(automationId, limit)).map(toRunView);
  }
}

const LIST_KEYS = ['status', 'automationId', 'since', 'until', 'limit', 'cursor'];

const timeBound = (description: string) => z.string().optional().describe(`${description}: an ISO 8601 time, e.g. 2026-11-30T00:00:00Z`);

/** The filters of GET /api/runs as the API contract writes them; `list` checks them, by hand, with these messages. */
export const RunListQuery = z.strictObject({
  status: z.enum(RUN_STATUSES).optional(),
  automationId: uuid.optional(),
  since: timeBound('Created at or after this time'),
  until: timeBound('Created before this time'),
  limit: z.number().int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT),
  cursor: z.string().optional().describe('nextCursor of the page before'),
});

/** The body of POST /api/runs/retry as the API contract writes it; `retryMany` checks it, by hand, with these messages. */
export const RunRetryInput = z.strictObject({
  ids: z.array(uuid).optional().describe('These runs (those failed or dead); the filters narrow them further'),
  status: z.enum(['failed', 'dead']).optional(),
  automationId: uuid.optional(),
  since: timeBound('Created at or after this time'),
  until: timeBound('Created before this time'),
  limit: z.number().int().min(1).max(MAX_BULK).default(MAX_BULK),
  dryRun: z.boolean().default(false).describe('Only count the runs a retry would take'),
}).describe('Name ids or at least one filter (status, automationId, since, until): retrying everything is not allowed');

function parseFilter(query: Record<string, string | undefined>): RunFilter {
  const filter: RunFilter = {};
  const fields: Record<string, string> = {};
  if (query.status) {
    if ((RUN_STATUSES as readonly string[]).includes(query.status)) filter.status = query.status as RunStatus;
    else fields.status = `must be one of ${RUN_STATUSES.join(', ')}`;
  }
  if (query.automationId) {
    if (isUuid(query.automationId)) filter.automationId = query.automationId;
    else fields.automationId = 'must be an automation id';
  }
  Object.assign(filter, parseTimeBounds(query, fields));
  if (Object.keys(fields).length) throw new ValidationFailedError(fields);
  return filter;
}

export function toRunView(run: RunEntity): RunView {
  return {
    id: run.id,
    automationId: run.automationId,
    automationName: run.automationName,
    trigger: run.trigger,
    scmPoll: run.scmPoll,
    commitSha: run.commitSha,
    messageId: run.messageId,
    functionId: run.functionId,
    endpointId: run.endpointId,
    vars: run.vars,
    status: run.status,
    statusReason: run.statusReason,
    rendered: run.rendered,
    warnings: run.warnings,
    output: run.output,
    attempts: run.attempts,
    retries: run.retries,
    earlierAttempts: run.earlierAttempts,
    nextAttemptAt: run.nextAttemptAt?.toISOString() ?? null,
    createdAt: run.createdAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
  };
}
