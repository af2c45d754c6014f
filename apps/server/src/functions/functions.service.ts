import { Inject, Injectable } from '@nestjs/common';
import type { ScriptKind, ScriptRunner } from '../../../../libs/engine/src';
import { NotFoundError, ValidationFailedError } from '../common/errors';
import { SCRIPT_RUNNER } from '../common/tokens';
import { blankToNull } from '../common/cursor';
import { validate } from '../common/validate';
import type { FunctionEntity } from '../database/entities/function.entity';
import { AutomationsService } from '../automations/automations.service';
import { Catalog } from '../processing/catalog';
import { ProvidersRepository } from '../providers/providers.repository';
import { isUuid } from '../common/ids';
import { CreateFunctionInput, UpdateFunctionInput } from './function-input';
import { FunctionsRepository } from './functions.repository';

export interface FunctionView {
  id: string;
  name: string;
  providerId: string;
  uri: string;
  enabled: boolean;
  script: string;
  condition: string | null;
  timeoutMs: number;
  automationIds: string[];
  createdAt: string;
  updatedAt: string;
}

@Injectable()
export class FunctionsService {
  constructor(
    private readonly functions: FunctionsRepository,
    private readonly providers: ProvidersRepository,
    private readonly catalog: Catalog,
    private readonly automations: AutomationsService,
    @Inject(SCRIPT_RUNNER) private readonly scripts: ScriptRunner,
  ) {}

  async list(filter: { providerId?: string; uri?: string }): Promise<FunctionView[]> {
    if (filter.providerId !== undefined && !isUuid(filter.providerId)) {
      throw new ValidationFailedError({ providerId: 'must be the id of a provider' });
    }
    return (await this.functions.list(filter)).map(toView);
  }

  async get(id: string): Promise<FunctionView> {
    return toView(await this.require(id));
  }

  async create(body: unknown): Promise<FunctionView> {
    const input = validate(CreateFunctionInput, body);
    await this.checkProvider(input.providerId);
    const condition = blankToNull(input.condition);
    await this.checkScripts(input.script ?? '', condition);
    await this.checkAutomations(input.automationIds);
    const created = toView(
      await this.functions.insert({
        name: input.name,
        providerId: input.providerId,
        uri: input.uri,
        enabled: input.enabled ?? true,
        script: input.script ?? '',
        condition,
        timeoutMs: input.timeoutMs ?? 5000,
        automationIds: unique(input.automationIds ?? []),
      }),
    );
    this.catalog.invalidate();
    return created;
  }

  async update(id: string, body: unknown): Promise<FunctionView> {
    const input = validate(UpdateFunctionInput, body);
    const fn = await this.require(id);
    if (input.providerId !== undefined) await this.checkProvider(input.providerId);
    const condition = input.condition === undefined ? fn.condition : blankToNull(input.condition);
    await this.checkScripts(input.script ?? fn.script, condition);
    await this.checkAutomations(input.automationIds);
    Object.assign(fn, {
      ...(input.automationIds !== undefined && { automationIds: unique(input.automationIds) }),
      ...(input.name !== undefined && { name: input.name }),
      ...(input.providerId !== undefined && { providerId: input.providerId }),
      ...(input.uri !== undefined && { uri: input.uri }),
      ...(input.enabled !== undefined && { enabled: input.enabled }),
      ...(input.script !== undefined && { script: input.script }),
      ...(input.timeoutMs !== undefined && { timeoutMs: input.timeoutMs }),
      condition,
    });
    const saved = await this.functions.save(fn);
    this.catalog.invalidate();
    return toView(saved);
  }

  async remove(id: string): Promise<void> {
    await this.require(id);
    await this.functions.delete(id);
    this.catalog.invalidate();
  }

  private async require(id: string): Promise<FunctionEntity> {
    const fn = isUuid(id) ? await this.functions.findById(id) : null;
    if (!fn) throw new NotFoundError('function', id);
    return fn;
  }

  private async checkProvider(providerId: string): Promise<void> {
    if (!(await this.providers.findById(providerId))) throw new ValidationFailedError({ providerId: `names no provider (${providerId})` });
  }

  private async checkAutomations(ids: string[] | undefined): Promise<void> {
    if (!ids?.length) return;
    const unknown = await this.automations.unknownIds(ids);
    if (unknown.length) throw new ValidationFailedError({ automationIds: `name no automation: ${unknown.join(', ')}` });
  }

  private async checkScripts(script: string, condition: string | null): Promise<void> {
    const problems: Record<string, string> = {};
    const check = async (field: string, kind: ScriptKind, source: string) => {
      const problem = await this.scripts.checkSyntax(kind, source);
      if (problem) problems[field] = `does not compile: ${problem}`;
    };
    await check('script', 'function', script);
    if (condition !== null) await check('condition', 'condition', condition);
    if (Object.keys(problems).length > 0) throw new ValidationFailedError(problems);
  }
}

function unique(ids: string[]): string[] {
  return [...new Set(ids)];
}


function toView(fn: FunctionEntity): FunctionView {
  return {
    id: fn.id,
    name: fn.name,
    providerId: fn.providerId,
    uri: fn.uri,
    enabled: fn.enabled,
    script: fn.script,
    condition: fn.condition,
    timeoutMs: fn.timeoutMs,
    automationIds: fn.automationIds,
    createdAt: fn.createdAt.toISOString(),
    updatedAt: fn.updatedAt.toISOString(),
  };
}
