import { Inject, Injectable } from '@nestjs/common';
import type { ScriptRunner } from '../../../../libs/engine/src';
import { ConflictError, NotFoundError, ValidationFailedError } from '../common/errors';
import { isUuid } from '../common/ids';
import { SCRIPT_RUNNER, SECRET_BOX } from '../common/tokens';
import { validate, validateWith } from '../common/validate';
import type { ProviderEntity } from '../database/entities/provider.entity';
import type { SecretBox } from '../security/secret-box';
import { CreateProviderInput, OrderProvidersInput, UpdateProviderInput } from './provider-input';
import { Catalog } from '../processing/catalog';
import { BuiltinProvidersService } from './builtin-providers.service';
import type { ProviderView } from './provider-view';
import { ProvidersRepository } from './providers.repository';

export type { ProviderView } from './provider-view';

@Injectable()
export class ProvidersService {
  constructor(
    private readonly providers: ProvidersRepository,
    private readonly catalog: Catalog,
    private readonly builtins: BuiltinProvidersService,
    @Inject(SCRIPT_RUNNER) private readonly scripts: ScriptRunner,
    @Inject(SECRET_BOX) private readonly secrets: SecretBox,
  ) {}

  async list(): Promise<ProviderView[]> {
    return (await this.providers.list()).map(toView);
  }

  async get(id: string): Promise<ProviderView> {
    return toView(await this.require(id));
  }

  async create(body: unknown): Promise<ProviderView> {
    const input = await validateWith(CreateProviderInput, body, { matchScript: (source) => this.scriptProblem(source) });
    const verification = input.verification ?? { scheme: 'none' };
    await this.checkNameFree(input.name);
    const created = await this.providers.insert({
      name: input.name,
      description: input.description ?? '',
      priority: input.priority ?? (await this.providers.nextPriority()),
      enabled: input.enabled ?? true,
      matchScript: input.matchScript,
      verificationScheme: verification.scheme,
      secretSealed: verification.secret ? this.secrets.seal(verification.secret) : null,
      previousSecretSealed: verification.previousSecret ? this.secrets.seal(verification.previousSecret) : null,
      previousSecretExpiresAt: verification.previousSecretExpiresAt ? new Date(verification.previousSecretExpiresAt) : null,
      verificationOptions: verification.options ?? {},
      properties: input.properties ?? {},
      secretProperties: this.sealProperties({}, input.secretProperties ?? {}),
      eventFormat: input.eventFormat ?? 'none',
    });
    this.catalog.invalidate();
    return toView(created);
  }

  async update(id: string, body: unknown): Promise<ProviderView> {
    const input = await validateWith(UpdateProviderInput, body, { matchScript: (source) => this.scriptProblem(source) });
    const provider = await this.require(id);
    if (input.name !== undefined && input.name !== provider.name) await this.checkNameFree(input.name);
    Object.assign(provider, {
      ...(input.name !== undefined && { name: input.name }),
      ...(input.description !== undefined && { description: input.description }),
      ...(input.priority !== undefined && { priority: input.priority }),
      ...(input.enabled !== undefined && { enabled: input.enabled }),
      ...(input.matchScript !== undefined && { matchScript: input.matchScript }),
      ...(input.properties !== undefined && { properties: input.properties }),
      ...(input.eventFormat !== undefined && { eventFormat: input.eventFormat }),
      ...(input.secretProperties !== undefined && { secretProperties: this.sealProperties(provider.secretProperties, input.secretProperties) }),
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
    const saved = await this.providers.save(provider);
    this.catalog.invalidate();
    return toView(saved);
  }

  async reset(id: string): Promise<ProviderView> {
    return toView(await this.builtins.reset(await this.require(id)));
  }

  async remove(id: string): Promise<void> {
    await this.require(id);
    await this.providers.delete(id);
    this.catalog.invalidate();
  }

  async reorder(body: unknown): Promise<ProviderView[]> {
    const { ids } = validate(OrderProvidersInput, body);
    const existing = await this.providers.list();
    const known = new Set(existing.map((p) => p.id));
    const unknown = ids.filter((id) => !known.has(id));
    const missing = existing.filter((p) => !ids.includes(p.id)).map((p) => p.id);
    const repeated = ids.filter((id, index) => ids.indexOf(id) !== index);
    if (unknown.length || missing.length || repeated.length) {
      throw new ValidationFailedError({
        ids: [
          unknown.length ? `name no provider: ${unknown.join(', ')}` : '',
          missing.length ? `leave out: ${missing.join(', ')}` : '',
          repeated.length ? `repeat: ${repeated.join(', ')}` : '',
        ]
          .filter(Boolean)
          .join('; ') + ' (list every provider id exactly once)',
      });
    }
    await this.providers.reorder(ids);
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

  private async require(id: string): Promise<ProviderEntity> {
    const provider = isUuid(id) ? await this.providers.findById(id) : null;
    if (!provider) throw new NotFoundError('provider', id);
    return provider;
  }

  private async checkNameFree(name: string): Promise<void> {
    if (await this.providers.findByName(name)) throw new ConflictError(`A provider named "${name}" already exists`);
  }

  private async scriptProblem(source: unknown): Promise<string | undefined> {
    const problem = await this.scripts.checkSyntax('match', String(source));
    return problem ? `does not compile: ${problem}` : undefined;
  }
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
    eventFormat: p.eventFormat,
    builtin: p.builtinKey,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}
