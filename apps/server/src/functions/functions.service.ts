import { Inject, Injectable } from '@nestjs/common';
import type { ScriptKind, ScriptRunner } from '../../../../libs/engine/src';
import type { AppConfig } from '../config';
import { functionRetryPolicy } from '../common/retry-policies';
import { NotFoundError, ValidationFailedError } from '../common/errors';
import { CONFIG, SCRIPT_RUNNER } from '../common/tokens';
import { blankToNull } from '../common/cursor';
import { validateWith, type FieldCheck } from '../common/validate';
import type { FunctionEntity } from '../database/entities/function.entity';
import { AutomationsService } from '../automations/automations.service';
import { Catalog } from '../processing/catalog';
import { ProvidersRepository } from '../providers/providers.repository';
import { isUuid } from '../common/ids';
import { VersionsRepository, type Authorship } from '../versions/versions.repository';
import { CreateFunctionInput, UpdateFunctionInput } from './function-input';
import type { FunctionView } from './function-view';
import { FunctionsRepository } from './functions.repository';

@Injectable()
export class FunctionsService {
  constructor(
    private readonly functions: FunctionsRepository,
    private readonly providers: ProvidersRepository,
    private readonly catalog: Catalog,
    private readonly automations: AutomationsService,
    private readonly versions: VersionsRepository,
    @Inject(SCRIPT_RUNNER) private readonly scripts: ScriptRunner,
    @Inject(CONFIG) private readonly config: AppConfig,
  ) {}

  async list(filter: { providerId?: string; uri?: string }): Promise<FunctionView[]> {
    if (filter.providerId !== undefined && !isUuid(filter.providerId)) {
      throw new ValidationFailedError({ providerId: 'must be the id of a provider' });
    }
    return (await this.functions.list(filter)).map((fn) => toView(fn, this.config));
  }

  async get(id: string): Promise<FunctionView> {
    return toView(await this.require(id), this.config);
  }

  /** Creating a function makes its version 1. */
  async create(body: unknown, by: Authorship): Promise<FunctionView> {
    const input = await validateWith(CreateFunctionInput, body, this.checks());
    const condition = blankToNull(input.condition);
    const values: Partial<FunctionEntity> = {
      name: input.name,
      providerId: input.providerId,
      uri: input.uri,
      enabled: input.enabled ?? true,
      script: input.script ?? '',
      condition,
      timeoutMs: input.timeoutMs ?? 5000,
      automationIds: unique(input.automationIds ?? []),
      retry: input.retry ?? {},
      answerMode: input.answerMode ?? null,
    };
    const created = await this.versions.saveVersioned((em) => this.functions.insert(values, em), functionVersion, input.comment, by);
    this.catalog.invalidate();
    return toView(created, this.config);
  }

  /** A save that changes the script, condition or timeout makes a new version. */
  async update(id: string, body: unknown, by: Authorship): Promise<FunctionView> {
    const input = await validateWith(UpdateFunctionInput, body, this.checks());
    const fn = await this.require(id);
    const condition = input.condition === undefined ? fn.condition : blankToNull(input.condition);
    Object.assign(fn, {
      ...(input.automationIds !== undefined && { automationIds: unique(input.automationIds) }),
      ...(input.name !== undefined && { name: input.name }),
      ...(input.providerId !== undefined && { providerId: input.providerId }),
      ...(input.uri !== undefined && { uri: input.uri }),
      ...(input.enabled !== undefined && { enabled: input.enabled }),
      ...(input.script !== undefined && { script: input.script }),
      ...(input.timeoutMs !== undefined && { timeoutMs: input.timeoutMs }),
      ...(input.retry !== undefined && { retry: input.retry }),
      ...(input.answerMode !== undefined && { answerMode: input.answerMode }),
      condition,
    });
    const saved = await this.versions.saveVersioned((em) => this.functions.save(fn, em), functionVersion, input.comment, by);
    this.catalog.invalidate();
    return toView(saved, this.config);
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

  /** What the schema cannot check: the provider and automations exist, the scripts compile. */
  private checks(): Record<string, FieldCheck> {
    const compiles = (kind: ScriptKind) => async (source: unknown) => {
      const code = blankToNull(source as string | null);
      const problem = code === null ? undefined : await this.scripts.checkSyntax(kind, code);
      return problem ? `does not compile: ${problem}` : undefined;
    };
    return {
      providerId: async (providerId) => ((await this.providers.findById(providerId as string)) ? undefined : `names no provider (${String(providerId)})`),
      script: compiles('function'),
      condition: compiles('condition'),
      automationIds: async (ids) => {
        const unknown = await this.automations.unknownIds(ids as string[]);
        return unknown.length ? `name no automation: ${unknown.join(', ')}` : undefined;
      },
    };
  }
}

/**
 * What a function version keeps: the code and its time limit. Name, provider, uri, automations,
 * retries and the enabled switch are left out, so a restore changes the code and nothing else.
 * The migration that began versions writes this same shape.
 */
function functionVersion(saved: FunctionEntity) {
  return {
    subject: { kind: 'function', id: saved.id } as const,
    content: { script: saved.script, condition: saved.condition, timeoutMs: saved.timeoutMs },
  };
}

function unique(ids: string[]): string[] {
  return [...new Set(ids)];
}


function toView(fn: FunctionEntity, config: AppConfig): FunctionView {
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
    retry: functionRetryPolicy(fn.retry, config),
    answerMode: fn.answerMode,
    createdAt: fn.createdAt.toISOString(),
    updatedAt: fn.updatedAt.toISOString(),
  };
}
