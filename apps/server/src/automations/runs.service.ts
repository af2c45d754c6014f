import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config';
import { NotFoundError } from '../common/errors';
import { CONFIG } from '../common/tokens';
import type { AutomationEntity } from '../database/entities/automation.entity';
import type { RunEntity, RunTrigger } from '../database/entities/run.entity';
import { isUuid } from '../common/ids';
import { RunSignal } from './run-signal';
import { RunsRepository } from './runs.repository';

export interface RunOrigin {
  trigger: RunTrigger;
  messageId?: string | null;
  functionId?: string | null;
  endpointId?: string | null;
  vars?: Record<string, unknown>;
}

export interface RunView {
  id: string;
  automationId: string;
  automationName: string;
  trigger: RunTrigger;
  messageId: string | null;
  functionId: string | null;
  endpointId: string | null;
  vars: Record<string, unknown>;
  status: RunEntity['status'];
  statusReason: string | null;
  rendered: Record<string, unknown>;
  warnings: string[];
  output: Record<string, unknown> | null;
  attempts: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/** Starting runs: recorded at once as pending (or skipped), carried out by the run worker. */
@Injectable()
export class RunsService {
  constructor(
    private readonly runs: RunsRepository,
    private readonly signal: RunSignal,
    @Inject(CONFIG) readonly config: AppConfig,
  ) {}

  async start(automation: AutomationEntity, origin: RunOrigin): Promise<RunEntity> {
    const run = await this.runs.insert({
      automationId: automation.id,
      automationName: automation.name,
      trigger: origin.trigger,
      messageId: origin.messageId ?? null,
      functionId: origin.functionId ?? null,
      endpointId: origin.endpointId ?? null,
      vars: origin.vars ?? {},
      status: automation.enabled ? 'pending' : 'skipped',
      statusReason: automation.enabled ? null : 'the automation is disabled',
      finishedAt: automation.enabled ? null : new Date(),
    });
    if (automation.enabled) this.signal.notify();
    return run;
  }

  async get(id: string): Promise<RunView> {
    const run = isUuid(id) ? await this.runs.findById(id) : null;
    if (!run) throw new NotFoundError('run', id);
    return toRunView(run);
  }

  async listForAutomation(automationId: string, limit = 100): Promise<RunView[]> {
    return (await this.runs.listForAutomation(automationId, limit)).map(toRunView);
  }
}

export function toRunView(run: RunEntity): RunView {
  return {
    id: run.id,
    automationId: run.automationId,
    automationName: run.automationName,
    trigger: run.trigger,
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
    createdAt: run.createdAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
  };
}
