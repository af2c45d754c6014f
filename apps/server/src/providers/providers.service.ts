import { Inject, Injectable } from '@nestjs/common';
import type { FixedAnswer, ScriptRunner } from '../../../../libs/engine/src';
import { ConflictError, NotFoundError, ValidationFailedError } from '../common/errors';
import { isUuid } from '../common/ids';
import { checkSchemeOptions } from '../common/scheme-options';
import { CONFIG, SCRIPT_RUNNER, SECRET_BOX } from '../common/tokens';
import type { AppConfig } from '../config';
import { validate, validateWith, type FieldCheck } from '../common/validate';
import type { ProviderEntity } from '../database/entities/provider.entity';
import type { SecretBox } from '../security/secret-box';
import { CommentOnlyInput } from '../versions/version-input';
import { VersionsRepository, type Authorship } from '../versions/versions.repository';
import { CreateProviderInput, OrderProvidersInput, UpdateProviderInput } from './provider-input';
import { Catalog } from '../processing/catalog';
import { BuiltinProvidersService } from './builtin-providers.service';
import { generateFromDescriptor } from '../../../../libs/providers/src';
import { DescriptorPreviewInput, descriptorSchemeIn } from './descriptor-input';
import { columnsFromDescriptor, eventSourceProblem, isEditedSinceGenerated, type DescriptorColumns } from './descriptor-settings';
import type { EventFormat } from '../../../../libs/providers/src';
import type { GeneratedProviderView, ProviderView } from './provider-view';
import { orderContent, orderProblem, providerVersion } from './provider-versions';
import { ProvidersRepository } from './providers.repository';

export type { ProviderView } from './provider-view';

@Injectable()
export class ProvidersService {
  constructor(
    private readonly providers: ProvidersRepository,
    private readonly catalog: Catalog,
    private readonly builtins: BuiltinProvidersService,
    private readonly versions: VersionsRepository,
    @Inject(SCRIPT_RUNNER) private readonly scripts: ScriptRunner,
    @Inject(SECRET_BOX) private readonly secrets: SecretBox,
    @Inject(CONFIG) private readonly config: AppConfig,
  ) {}

  async list(): Promise<ProviderView[]> {
    return (await this.providers.list()).map(toView);
  }

  async get(id: string): Promise<ProviderView> {
    return toView(await this.require(id));
  }

  /** Creating a provider makes its version 1; a descriptor generates what the request leaves out. */
  async create(body: unknown, by: Authorship): Promise<ProviderView> {
    const input = await validateWith(CreateProviderInput, body, this.checks(body, descriptorSchemeIn(body)));
    const verification = input.verification ?? {};
    const decided: DescriptorColumns = input.descriptor
      ? columnsFromDescriptor(input.descriptor, input)
      : {
          // Required by the schema when there is no descriptor.
          matchScript: input.matchScript as string,
          verificationScheme: verification.scheme ?? 'none',
          verificationOptions: verification.options ?? {},
          eventFormat: input.eventFormat ?? 'none',
          descriptor: null,
        };
    const problem = eventSourceProblem(decided, false);
    if (problem) throw new ValidationFailedError(problem);
    await this.checkNameFree(input.name);
    const values: Partial<ProviderEntity> = {
      ...decided,
      name: input.name,
      description: input.description ?? '',
      priority: input.priority ?? (await this.defaultPriority(decided)),
      enabled: input.enabled ?? true,
      secretSealed: verification.secret ? this.secrets.seal(verification.secret) : null,
      previousSecretSealed: verification.previousSecret ? this.secrets.seal(verification.previousSecret) : null,
      previousSecretExpiresAt: verification.previousSecretExpiresAt ? new Date(verification.previousSecretExpiresAt) : null,
      properties: input.properties ?? {},
      secretProperties: this.sealProperties({}, input.secretProperties ?? {}),
      answerMode: input.answerMode ?? 'async',
      respondTimeoutMs: input.respondTimeoutMs ?? DEFAULT_RESPOND_TIMEOUT_MS,
      fixedAnswer: fixedAnswerOf(input.fixedAnswer),
    };
    const created = await this.versions.saveVersioned((em) => this.providers.insert(values, em), providerVersion, input.comment, by);
    this.catalog.invalidate();
    return toView(created);
  }

  /** A save that changes the match script, scheme, options, event format or descriptor makes a new version. */
  async update(id: string, body: unknown, by: Authorship): Promise<ProviderView> {
    const provider = await this.require(id);
    const input = await validateWith(UpdateProviderInput, body, this.checks(body, descriptorSchemeIn(body) ?? provider.verificationScheme));
    if (input.name !== undefined && input.name !== provider.name) await this.checkNameFree(input.name);
    Object.assign(provider, {
      ...(input.name !== undefined && { name: input.name }),
      ...(input.description !== undefined && { description: input.description }),
      ...(input.priority !== undefined && { priority: input.priority }),
      ...(input.enabled !== undefined && { enabled: input.enabled }),
      ...(input.matchScript !== undefined && { matchScript: input.matchScript }),
      ...(input.properties !== undefined && { properties: input.properties }),
      ...(input.eventFormat !== undefined && { eventFormat: input.eventFormat }),
      ...(input.answerMode !== undefined && { answerMode: input.answerMode }),
      ...(input.respondTimeoutMs !== undefined && { respondTimeoutMs: input.respondTimeoutMs }),
      ...(input.fixedAnswer !== undefined && { fixedAnswer: fixedAnswerOf(input.fixedAnswer) }),
      ...(input.secretProperties !== undefined && { secretProperties: this.sealProperties(provider.secretProperties, input.secretProperties) }),
      // A descriptor regenerates its settings; null forgets it and keeps what it generated.
      ...(input.descriptor !== undefined && (input.descriptor === null ? { descriptor: null } : columnsFromDescriptor(input.descriptor, input))),
    });
    const verification = input.verification;
    if (verification) {
      if (verification.scheme !== undefined) provider.verificationScheme = verification.scheme;
      // A secret that is absent stays as it is; null removes it.
      if (verification.secret !== undefined) provider.secretSealed = verification.secret === null ? null : this.secrets.seal(verification.secret);
      if (verification.previousSecret !== undefined) {
        provider.previousSecretSealed = verification.previousSecret === null ? null : this.secrets.seal(verification.previousSecret);
      }
      if (verification.previousSecretExpiresAt !== undefined) {
        provider.previousSecretExpiresAt = verification.previousSecretExpiresAt === null ? null : new Date(verification.previousSecretExpiresAt);
      }
      if (verification.options !== undefined) provider.verificationOptions = verification.options;
    }
    const problem = eventSourceProblem(provider, input.descriptor === null);
    if (problem) throw new ValidationFailedError(problem);
    const saved = await this.versions.saveVersioned((em) => this.providers.save(provider, em), providerVersion, input.comment, by);
    this.catalog.invalidate();
    return toView(saved);
  }

  /** What a descriptor would generate, without saving anything. */
  previewDescriptor(body: unknown): GeneratedProviderView {
    const { descriptor } = validate(DescriptorPreviewInput, body);
    return { descriptor, ...generateFromDescriptor(descriptor) };
  }

  /** Back to the built-in's shipped settings, as a new version. */
  async reset(id: string, body: unknown, author: string | null): Promise<ProviderView> {
    const { comment } = validate(CommentOnlyInput, body);
    const provider = await this.require(id);
    Object.assign(provider, await this.builtins.presetFor(provider));
    const by = { author, forced: { comment: 'reset to built-in' } };
    const saved = await this.versions.saveVersioned((em) => this.providers.save(provider, em), providerVersion, comment, by);
    this.catalog.invalidate();
    return toView(saved);
  }

  async remove(id: string): Promise<void> {
    await this.require(id);
    await this.providers.delete(id);
    this.catalog.invalidate();
  }

  /**
   * Every reorder makes a version of the order. The first one also keeps the order before it,
   * as version 1 by no one, so that the first change can be rolled back too.
   */
  async reorder(body: unknown, by: Authorship): Promise<ProviderView[]> {
    const { ids, comment } = validate(OrderProvidersInput, body);
    const existing = await this.providers.list();
    const problem = orderProblem(ids, existing);
    if (problem !== undefined) throw new ValidationFailedError({ ids: problem });
    const byId = new Map(existing.map((p) => [p.id, p]));
    await this.versions.transaction(async (em) => {
      const subject = { kind: 'provider-order' } as const;
      // After the updates, whose row locks make a concurrent first reorder wait for this one.
      await this.providers.reorder(ids, em);
      if (!(await this.versions.hasAny(em, subject))) {
        await this.versions.record(em, { subject, content: orderContent(existing), comment: 'the order before its first change', createdBy: null });
      }
      const content = orderContent(ids.map((id) => byId.get(id) as ProviderEntity));
      await this.versions.recordSave(em, { subject, content }, comment, by);
    });
    this.catalog.invalidate();
    return this.list();
  }

  /** The sealed properties with each named one set, or removed when null. */
  private sealProperties(sealed: Record<string, string>, changes: Record<string, string | null>): Record<string, string> {
    const result = { ...sealed };
    for (const [name, value] of Object.entries(changes)) {
      if (value === null) delete result[name];
      else result[name] = this.secrets.seal(value);
    }
    return result;
  }

  /**
   * Last, as a rule. A provider made from a descriptor owns its uris outright, so it goes first:
   * asked after a provider that claims by a header it also sends (GitHub's X-GitHub-Event) or
   * claims everything (Generic), it would never see its requests.
   */
  private defaultPriority(decided: DescriptorColumns): Promise<number> {
    return decided.descriptor ? this.providers.firstPriority() : this.providers.nextPriority();
  }

  private async require(id: string): Promise<ProviderEntity> {
    const provider = isUuid(id) ? await this.providers.findById(id) : null;
    if (!provider) throw new NotFoundError('provider', id);
    return provider;
  }

  private async checkNameFree(name: string): Promise<void> {
    if (await this.providers.findByName(name)) throw new ConflictError(`A provider named "${name}" already exists`);
  }

  /** What the schema cannot check: the match script compiles, the scheme's options, the respond timeout fits in the sync timeout. */
  private checks(body: unknown, scheme?: string): Record<string, FieldCheck> {
    const limit = this.config.syncTimeoutMs;
    return {
      matchScript: (source) => this.scriptProblem(source),
      'verification.options': checkSchemeOptions(body, scheme),
      respondTimeoutMs: (ms) => ((ms as number) > limit ? `must be at most ${limit}, the server's sync timeout (HOOKLINE_SYNC_TIMEOUT)` : undefined),
    };
  }

  private async scriptProblem(source: unknown): Promise<string | undefined> {
    const problem = await this.scripts.checkSyntax('match', String(source));
    return problem ? `does not compile: ${problem}` : undefined;
  }
}

/** A sender waits this long for the first respond() unless the provider says otherwise. */
const DEFAULT_RESPOND_TIMEOUT_MS = 3000;

function fixedAnswerOf(input: { status: number; headers?: Record<string, string>; body?: string } | null | undefined): FixedAnswer | null {
  if (!input) return null;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.headers ?? {})) headers[name.toLowerCase()] = value;
  return { status: input.status, headers, body: input.body ?? '' };
}

function toView(p: ProviderEntity): ProviderView {
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    priority: p.priority,
    enabled: p.enabled,
    matchScript: p.matchScript,
    verification: {
      scheme: p.verificationScheme,
      secretConfigured: p.secretSealed !== null,
      previousSecretConfigured: p.previousSecretSealed !== null,
      previousSecretExpiresAt: p.previousSecretExpiresAt?.toISOString() ?? null,
      options: p.verificationOptions,
    },
    properties: p.properties,
    secretProperties: Object.keys(p.secretProperties).sort(),
    // The column holds one of EVENT_FORMATS: every save checks it.
    eventFormat: p.eventFormat as EventFormat,
    descriptor: p.descriptor,
    descriptorEdited: p.descriptor !== null && isEditedSinceGenerated({ ...p, descriptor: p.descriptor }),
    answerMode: p.answerMode,
    respondTimeoutMs: p.respondTimeoutMs,
    fixedAnswer: p.fixedAnswer,
    builtin: p.builtinKey,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}
