import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config';
import { CONFIG } from '../common/tokens';
import type { FunctionEntity } from '../database/entities/function.entity';
import type { ProviderEntity } from '../database/entities/provider.entity';
import { FunctionsRepository } from '../functions/functions.repository';
import { ProvidersRepository } from '../providers/providers.repository';

interface Snapshot {
  loadedAt: number;
  providers: ProviderEntity[];
  functions: FunctionEntity[];
}

/**
 * Providers and functions as the message path reads them, cached so that a message
 * costs no catalog queries. Writes through this server drop the cache at once; writes
 * by another server on the same PostgreSQL database are seen within HOOKLINE_CATALOG_TTL.
 */
@Injectable()
export class Catalog {
  private snapshot?: Snapshot;
  private loading?: Promise<Snapshot>;
  private generation = 0;

  constructor(
    private readonly providerRows: ProvidersRepository,
    private readonly functionRows: FunctionsRepository,
    @Inject(CONFIG) private readonly config: AppConfig,
  ) {}

  /** Call after any change to providers or functions. */
  invalidate(): void {
    this.generation++;
    this.snapshot = undefined;
    this.loading = undefined;
  }

  /** Enabled providers in priority order. */
  async enabledProviders(): Promise<ProviderEntity[]> {
    return (await this.current()).providers.filter((p) => p.enabled);
  }

  async provider(id: string): Promise<ProviderEntity | undefined> {
    return (await this.current()).providers.find((p) => p.id === id);
  }

  /** Enabled functions of the provider on exactly this uri. */
  async runnableFunctions(providerId: string, uri: string): Promise<FunctionEntity[]> {
    return (await this.current()).functions.filter((fn) => fn.enabled && fn.providerId === providerId && fn.uri === uri);
  }

  private async current(): Promise<Snapshot> {
    const snapshot = this.snapshot;
    if (snapshot && Date.now() - snapshot.loadedAt < this.config.catalogTtlMs) return snapshot;
    this.loading ??= this.load();
    return this.loading;
  }

  private async load(): Promise<Snapshot> {
    const generation = this.generation;
    try {
      const [providers, functions] = [await this.providerRows.list(), await this.functionRows.list({})];
      const snapshot = { loadedAt: Date.now(), providers, functions };
      // A write that happened while loading makes this snapshot stale already.
      if (generation === this.generation) this.snapshot = snapshot;
      return snapshot;
    } finally {
      if (generation === this.generation) this.loading = undefined;
    }
  }
}
