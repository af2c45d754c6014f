import { Inject, Injectable } from '@nestjs/common';
import { ScmHostError, type ScmHost } from '../../../../libs/engine/src/scm-hosts';
import { ConflictError, NotFoundError, ValidationFailedError } from '../common/errors';
import { isUuid } from '../common/ids';
import { AutomationsRepository } from '../automations/automations.repository';
import { CONFIG, SECRET_BOX } from '../common/tokens';
import { validate } from '../common/validate';
import type { AppConfig } from '../config';
import type { GitProviderEntity } from '../database/entities/git-provider.entity';
import { createScmHost, type GitProviderConnection } from '../scm/scm-hosts';
import type { SecretBox } from '../security/secret-box';
import { CreateGitProviderInput, UpdateGitProviderInput } from './git-provider-input';
import { normalised, settingsProblems, type GitProviderSettings } from './git-provider-settings';
import type { GitProviderCheckView, GitProviderView } from './git-provider-view';
import { GitProvidersRepository } from './git-providers.repository';

@Injectable()
export class GitProvidersService {
  constructor(
    private readonly providers: GitProvidersRepository,
    private readonly automations: AutomationsRepository,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
    @Inject(CONFIG) private readonly config: AppConfig,
  ) {}

  async list(): Promise<GitProviderView[]> {
    return (await this.providers.list()).map(toView);
  }

  async get(id: string): Promise<GitProviderView> {
    return toView(await this.require(id));
  }

  async create(body: unknown): Promise<GitProviderView> {
    const input = validate(CreateGitProviderInput, body);
    const settings = checked({ kind: input.kind, baseUrl: input.baseUrl ?? null, remoteUrl: input.remoteUrl ?? null, username: input.username ?? null, hasToken: !!input.token });
    await this.checkNameFree(input.name);
    const created = await this.providers.insert({
      name: input.name,
      kind: settings.kind,
      baseUrl: settings.baseUrl,
      remoteUrl: settings.remoteUrl,
      username: settings.username,
      tokenSealed: input.token ? this.box.seal(input.token) : null,
    });
    return toView(created);
  }

  /** A change of kind drops the settings the old kind used, unless the same request sets them. */
  async update(id: string, body: unknown): Promise<GitProviderView> {
    const provider = await this.require(id);
    const input = validate(UpdateGitProviderInput, body);
    const kindChanged = input.kind !== undefined && input.kind !== provider.kind;
    const kept = <T>(given: T | undefined, stored: T | null): T | null => (given !== undefined ? given : kindChanged ? null : stored);
    const hasToken = input.token !== undefined ? input.token !== null : provider.tokenSealed !== null;
    const settings = checked({
      kind: input.kind ?? provider.kind,
      baseUrl: kept(input.baseUrl, provider.baseUrl),
      remoteUrl: kept(input.remoteUrl, provider.remoteUrl),
      username: kept(input.username, provider.username),
      hasToken,
    });
    if (input.name !== undefined && input.name !== provider.name) {
      await this.checkNameFree(input.name);
      await this.checkUnused(provider, 'renamed');
    }
    Object.assign(provider, {
      ...(input.name !== undefined && { name: input.name }),
      kind: settings.kind,
      baseUrl: settings.baseUrl,
      remoteUrl: settings.remoteUrl,
      username: settings.username,
      ...(input.token !== undefined && { tokenSealed: input.token === null ? null : this.box.seal(input.token) }),
    });
    return toView(await this.providers.save(provider));
  }

  async remove(id: string): Promise<void> {
    const provider = await this.require(id);
    await this.checkUnused(provider, 'deleted');
    await this.providers.delete(id);
  }

  /** Asks the host who the credentials belong to. Whatever the host answers, the check ran: a failure is a result, not an error. */
  async check(id: string): Promise<GitProviderCheckView> {
    const provider = await this.require(id);
    try {
      const { identity } = await this.hostFor(provider).check();
      return { ok: true, identity };
    } catch (err) {
      if (err instanceof ScmHostError) return { ok: false, kind: err.kind, message: err.message };
      throw err;
    }
  }

  /** The provider automations call `name`, with its token opened; null when there is none. */
  async connectionByName(name: string): Promise<GitProviderConnection | null> {
    const provider = await this.providers.findByName(name);
    return provider ? this.connectionOf(provider) : null;
  }

  /** The host client of the provider automations call `name`; null when there is none. */
  async hostByName(name: string): Promise<ScmHost | null> {
    const provider = await this.providers.findByName(name);
    return provider ? this.hostFor(provider) : null;
  }

  private hostFor(provider: GitProviderEntity): ScmHost {
    return createScmHost(this.connectionOf(provider), { dataDir: this.config.dataDir });
  }

  /** A token sealed under another master key cannot be opened: an `invalid` error that says what to do. */
  private connectionOf(provider: GitProviderEntity): GitProviderConnection {
    let token: string | null = null;
    if (provider.tokenSealed) {
      try {
        token = this.box.open(provider.tokenSealed);
      } catch {
        throw new ScmHostError('invalid', `The token of Git provider "${provider.name}" cannot be unsealed (was HOOKLINE_MASTER_KEY changed?); set the token again`);
      }
    }
    return { name: provider.name, kind: provider.kind, baseUrl: provider.baseUrl, remoteUrl: provider.remoteUrl, username: provider.username, token };
  }

  private async require(id: string): Promise<GitProviderEntity> {
    const provider = isUuid(id) ? await this.providers.findById(id) : null;
    if (!provider) throw new NotFoundError('Git provider', id);
    return provider;
  }

  /** Automations refer to a Git provider by name: while any polls with it, it keeps its name. */
  private async checkUnused(provider: GitProviderEntity, change: 'renamed' | 'deleted'): Promise<void> {
    const users = await this.automations.namesPollingWith(provider.name);
    if (users.length > 0) {
      const named = users.map((name) => `"${name}"`).join(', ');
      throw new ConflictError(`Git provider "${provider.name}" cannot be ${change}: automation${users.length > 1 ? 's' : ''} ${named} poll${users.length > 1 ? '' : 's'} with it; change or remove their scmPoll first`);
    }
  }

  private async checkNameFree(name: string): Promise<void> {
    if (await this.providers.findByName(name)) throw new ConflictError(`A Git provider named "${name}" already exists; automations refer to Git providers by name, so names are unique`);
  }
}

function checked(settings: GitProviderSettings): GitProviderSettings {
  const result = normalised(settings);
  const problems = settingsProblems(result);
  if (Object.keys(problems).length > 0) throw new ValidationFailedError(problems);
  return result;
}

function toView(provider: GitProviderEntity): GitProviderView {
  return {
    id: provider.id,
    name: provider.name,
    kind: provider.kind,
    baseUrl: provider.baseUrl,
    remoteUrl: provider.remoteUrl,
    username: provider.username,
    tokenConfigured: provider.tokenSealed !== null,
    createdAt: provider.createdAt.toISOString(),
    updatedAt: provider.updatedAt.toISOString(),
  };
}
