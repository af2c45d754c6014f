import { Inject, Injectable } from '@nestjs/common';
import { checkSchedule, nextFireTime, prepareCommand } from '../../../../libs/engine/src';
import { ConflictError, NotFoundError, ValidationFailedError } from '../common/errors';
import { blankToNull } from '../common/cursor';
import { validate } from '../common/validate';
import type { AppConfig } from '../config';
import { CONFIG } from '../common/tokens';
import { automationRetryPolicy } from '../common/retry-policies';
import type { AutomationEntity } from '../database/entities/automation.entity';
import type { AutomationTarget, AutomationTargetView, AutomationView } from './automation-view';
import { isUuid } from '../common/ids';
import type { z } from 'zod';
import { CreateAutomationInput, ManualRunInput, Target, UpdateAutomationInput } from './automation-input';
import { AutomationsRepository } from './automations.repository';
import { RunsService, toRunView } from './runs.service';
import { storedScmPoll } from './scm-poll-input';
import { ScmPollSetting, scmPollView } from '../scm-polling/scm-poll-setting';

@Injectable()
export class AutomationsService {
  constructor(
    private readonly automations: AutomationsRepository,
    private readonly runs: RunsService,
    private readonly scmPoll: ScmPollSetting,
    @Inject(CONFIG) private readonly config: AppConfig,
  ) {}

  async list(): Promise<AutomationView[]> {
    return (await this.automations.list()).map((a) => toView(a, this.config));
  }

  async get(id: string): Promise<AutomationView> {
    return toView(await this.require(id), this.config);
  }

  async create(body: unknown): Promise<AutomationView> {
    const input = validate(CreateAutomationInput, body);
    await this.checkNameFree(input.name);
    const schedule = blankToNull(input.schedule)?.trim() ?? null;
    const timeZone = input.timeZone ?? 'UTC';
    checkScheduleFields(schedule, timeZone);
    const scmPoll = input.scmPoll ? storedScmPoll(input.scmPoll) : null;
    await this.scmPoll.check({ schedule, scmPoll, scmPollGiven: scmPoll !== null });
    const created = await this.automations.insert({
      name: input.name,
      description: input.description ?? '',
      enabled: input.enabled ?? true,
      schedule,
      timeZone,
      target: storedTarget(input.target),
      retry: input.retry ?? {},
      events: unique(input.events ?? []),
      scmPoll,
      nextRunAt: schedule ? nextFireTime(schedule, timeZone, new Date()) : null,
    });
    return toView(created, this.config);
  }

  async update(id: string, body: unknown): Promise<AutomationView> {
    const input = validate(UpdateAutomationInput, body);
    const target = input.target === undefined ? undefined : storedTarget(input.target);
    const automation = await this.require(id);
    if (input.name !== undefined && input.name !== automation.name) await this.checkNameFree(input.name);
    const schedule = input.schedule === undefined ? automation.schedule : (blankToNull(input.schedule)?.trim() ?? null);
    const timeZone = input.timeZone ?? automation.timeZone;
    checkScheduleFields(schedule, timeZone);
    const scmPollBefore = automation.scmPoll;
    const scmPoll = input.scmPoll === undefined ? scmPollBefore : input.scmPoll && storedScmPoll(input.scmPoll);
    await this.scmPoll.check({ schedule, scmPoll, scmPollGiven: Boolean(input.scmPoll) });
    const rescheduled = schedule !== automation.schedule || timeZone !== automation.timeZone;
    Object.assign(automation, {
      ...(input.name !== undefined && { name: input.name }),
      ...(input.description !== undefined && { description: input.description }),
      ...(input.enabled !== undefined && { enabled: input.enabled }),
      ...(target !== undefined && { target }),
      ...(input.retry !== undefined && { retry: input.retry }),
      ...(input.events !== undefined && { events: unique(input.events) }),
      scmPoll,
      schedule,
      timeZone,
      ...(rescheduled && { nextRunAt: schedule ? nextFireTime(schedule, timeZone, new Date()) : null }),
    });
    const saved = await this.automations.save(automation);
    await this.scmPoll.settle(id, scmPollBefore, scmPoll);
    return toView(saved, this.config);
  }

  async remove(id: string): Promise<void> {
    await this.require(id);
    await this.automations.delete(id);
  }

  /** A run by hand, with optional variables for the templates (`{{vars.<name>}}`). */
  async runNow(id: string, body: unknown) {
    const input = validate(ManualRunInput, body ?? {});
    const run = await this.runs.start(await this.require(id), { trigger: 'manual', vars: input.vars ?? {} });
    return toRunView(run);
  }

  async runsOf(id: string) {
    await this.require(id);
    return this.runs.listForAutomation(id);
  }

  async require(id: string): Promise<AutomationEntity> {
    const automation = isUuid(id) ? await this.automations.findById(id) : null;
    if (!automation) throw new NotFoundError('automation', id);
    return automation;
  }

  /** Ids that name no automation, for validating links. */
  async unknownIds(ids: string[]): Promise<string[]> {
    const wellFormed = ids.filter(isUuid);
    const found = new Set((await this.automations.findByIds(wellFormed)).map((a) => a.id));
    return ids.filter((id) => !found.has(id));
  }

  private async checkNameFree(name: string): Promise<void> {
    if (await this.automations.findByName(name)) throw new ConflictError(`An automation named "${name}" already exists`);
  }
}

function checkScheduleFields(schedule: string | null, timeZone: string): void {
  if (schedule === null) {
    const zone = checkSchedule('* * * * *', timeZone);
    if (!zone.ok) throw new ValidationFailedError({ timeZone: zone.error });
    return;
  }
  const check = checkSchedule(schedule, timeZone);
  if (!check.ok) throw new ValidationFailedError({ schedule: check.error });
}

/** A command target is checked and split into its arguments once, here, so what is stored is what runs. */
function storedTarget(target: z.infer<typeof Target>): AutomationTarget {
  if (target.kind !== 'command') return target as AutomationTarget;
  const prepared = prepareCommand(target);
  if (!prepared.ok) throw new ValidationFailedError({ [prepared.field === null ? 'target' : `target.${prepared.field}`]: prepared.error });
  const { line } = prepared;
  return { kind: 'command', command: target.command ?? null, argv: line.shell ? null : line.argv, shell: line.shell, timeoutMs: target.timeoutMs };
}

function viewOfTarget(target: AutomationTarget): AutomationTargetView {
  return target.kind === 'command' ? { ...target, argv: target.argv ?? null, shell: target.shell ?? false } : target;
}

function toView(a: AutomationEntity, config: AppConfig): AutomationView {
  return {
    id: a.id,
    name: a.name,
    description: a.description,
    enabled: a.enabled,
    schedule: a.schedule,
    timeZone: a.timeZone,
    nextRunAt: a.nextRunAt?.toISOString() ?? null,
    target: viewOfTarget(a.target),
    retry: automationRetryPolicy(a, config),
    events: a.events,
    scmPoll: scmPollView(a.scmPoll),
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
  };
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
