import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BUILTIN_PROVIDERS, readBuiltinScript, type BuiltinProvider } from '../../../../libs/providers/src';
import type { AppConfig } from '../config';
import { ConflictError } from '../common/errors';
import { CONFIG, DATA_SOURCE } from '../common/tokens';
import type { ProviderEntity } from '../database/entities/provider.entity';
import { Catalog } from '../processing/catalog';
import { VersionsRepository } from '../versions/versions.repository';
import { providerVersion } from './provider-versions';
import { ProvidersRepository } from './providers.repository';

const SEEDED = 'builtin_providers_seeded';

/** The providers shipped in scripts/builtin: seeded once, and restorable one by one. */
@Injectable()
export class BuiltinProvidersService {
  private readonly logger = new Logger('Providers');

  constructor(
    private readonly providers: ProvidersRepository,
    private readonly catalog: Catalog,
    private readonly versions: VersionsRepository,
    @Inject(DATA_SOURCE) private readonly db: DataSource,
    @Inject(CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * At first start only: a built-in the admin deleted later stays deleted. A provider
   * already holding a built-in's name is left alone and the built-in skipped. The shipped
   * settings are each built-in's version 1.
   */
  async seed(): Promise<void> {
    if (!this.config.seedBuiltins) return;
    const [marker] = await this.db.query(`SELECT value FROM settings WHERE key = $1`, [SEEDED]);
    if (marker) return;
    const added: string[] = [];
    for (const builtin of BUILTIN_PROVIDERS) {
      const taken = (await this.providers.findByName(builtin.name)) ?? (await this.providers.findByBuiltinKey(builtin.key));
      if (taken) continue;
      const values = { ...presetOf(builtin), priority: builtin.priority, enabled: true, properties: {}, builtinKey: builtin.key };
      await this.versions.saveVersioned((em) => this.providers.insert(values, em), providerVersion, 'built-in', { author: null });
      added.push(builtin.name);
    }
    await this.db.query(`INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`, [SEEDED, JSON.stringify({ at: new Date().toISOString(), added })]);
    this.catalog.invalidate();
    if (added.length) this.logger.log(`Added the built-in providers ${added.join(', ')}`);
  }

  /** The shipped script, scheme, options and event format to reset to; priority, enabled state, secrets and properties are not in it. */
  async presetFor(provider: ProviderEntity): Promise<Partial<ProviderEntity>> {
    const builtin = BUILTIN_PROVIDERS.find((b) => b.key === provider.builtinKey);
    if (!builtin) throw new ConflictError(`Provider "${provider.name}" is not a built-in provider, so there is nothing to reset it to`);
    const other = await this.providers.findByName(builtin.name);
    if (other && other.id !== provider.id) throw new ConflictError(`Another provider is named "${builtin.name}"; rename it first`);
    return presetOf(builtin);
  }
}

function presetOf(builtin: BuiltinProvider): Partial<ProviderEntity> {
  return {
    name: builtin.name,
    description: builtin.description,
    matchScript: readBuiltinScript(builtin.key),
    verificationScheme: builtin.scheme,
    verificationOptions: builtin.verificationOptions,
    eventFormat: builtin.eventFormat,
    // Built-ins are written by hand: a reset also forgets a descriptor the provider was given since.
    descriptor: null,
  };
}
