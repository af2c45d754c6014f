import { Inject, Injectable, Logger } from '@nestjs/common';
import type { FunctionDefinition, ProviderDefinition } from '../../../../libs/engine/src';
import type { AppConfig } from '../config';
import { CONFIG, NOTIFICATIONS, SECRET_BOX } from '../common/tokens';
import type { Notifications } from '../database/notifications';
import type { FunctionEntity } from '../database/entities/function.entity';
import type { ProviderEntity } from '../database/entities/provider.entity';
import { FunctionsRepository } from '../functions/functions.repository';
import { ProvidersRepository } from '../providers/providers.repository';
import type { SecretBox } from '../security/secret-box';
import { openVerification, providerDefinition, sealedVerificationOf, type OpenedVerification } from './provider-secrets';

/** A provider as the message path needs it, its secrets opened once per load (in memory only). */
export interface CatalogProvider {
  row: ProviderEntity;
  definition: ProviderDefinition;
  verification: OpenedVerification;
}

/** An enabled function, with the definition the engine runs. */
export interface RoutedFunction {
  row: FunctionEntity;
  definition: FunctionDefinition;
}

interface Snapshot {
  loadedAt: number;
  providers: Map<string, CatalogProvider>;
  /** Enabled providers in list order. */
  enabled: ProviderDefinition[];
  enabledRows: ProviderEntity[];
  /** Enabled functions by provider id and uri. */
  routes: Map<string, RoutedFunction[]>;
}

/**
 * Providers and functions as the message path reads them, cached so that a message costs no
 * catalog queries and no secret unsealing. Writes through this server drop the cache at once;
 * every write, by any server on the same PostgreSQL database, also drops it through the
 * database's notification. The cache is reloaded after HOOKLINE_CATALOG_TTL as well, should a
 * notification ever be lost.
 */
@Injectable()
export class Catalog {
  private readonly logger = new Logger('Catalog');
  private snapshot?: Snapshot;
  private loading?: Promise<Snapshot>;
  private generation = 0;

  constructor(
    private readonly providerRows: ProvidersRepository,
    private readonly functionRows: FunctionsRepository,
    @Inject(NOTIFICATIONS) notifications: Notifications,
    @Inject(CONFIG) private readonly config: AppConfig,
    @Inject(SECRET_BOX) private readonly box: SecretBox,
  ) {
    notifications.on('hookline_catalog', () => this.invalidate());
  }

  /** Call after any change to providers or functions. */
  invalidate(): void {
    this.generation++;
    this.snapshot = undefined;
    this.loading = undefined;
  }

  /** Enabled providers in priority order, as stored. */
  async enabledProviders(): Promise<ProviderEntity[]> {
    return (await this.current()).enabledRows;
  }

  /** Enabled providers as the engine runs them, their script secrets opened. */
  async enabledDefinitions(): Promise<ProviderDefinition[]> {
    return (await this.current()).enabled;
  }

  async provider(id: string): Promise<CatalogProvider | undefined> {
    return (await this.current()).providers.get(id);
  }

  /** Enabled functions of the provider on exactly this uri. */
  async runnableFunctions(providerId: string, uri: string): Promise<RoutedFunction[]> {
    return (await this.current()).routes.get(routeKey(providerId, uri)) ?? [];
  }

  /** A provider row (a draft, say) as the engine runs it. */
  toDefinition(row: ProviderEntity): ProviderDefinition {
    return providerDefinition(row, this.box, this.logger);
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
      const [rows, functions] = [await this.providerRows.list(), await this.functionRows.list({})];
      const snapshot = this.build(rows, functions);
      // A write that happened while loading makes this snapshot stale already.
      if (generation === this.generation) this.snapshot = snapshot;
      return snapshot;
    } finally {
      if (generation === this.generation) this.loading = undefined;
    }
  }

  private build(rows: ProviderEntity[], functions: FunctionEntity[]): Snapshot {
    const providers = new Map<string, CatalogProvider>();
    for (const row of rows) {
      providers.set(row.id, { row, definition: this.toDefinition(row), verification: openVerification(sealedVerificationOf(row), this.box, this.logger) });
    }
    const enabledRows = rows.filter((row) => row.enabled);
    const routes = new Map<string, RoutedFunction[]>();
    for (const row of functions) {
      if (!row.enabled) continue;
      const key = routeKey(row.providerId, row.uri);
      const routed = routes.get(key) ?? [];
      routed.push({ row, definition: functionDefinition(row) });
      routes.set(key, routed);
    }
    return {
      loadedAt: Date.now(),
      providers,
      enabledRows,
      enabled: enabledRows.map((row) => (providers.get(row.id) as CatalogProvider).definition),
      routes,
    };
  }
}

function routeKey(providerId: string, uri: string): string {
  return `${providerId}\n${uri}`;
}

export function functionDefinition(fn: FunctionEntity): FunctionDefinition {
  return {
    id: fn.id,
    name: fn.name,
    providerId: fn.providerId,
    uri: fn.uri,
    script: fn.script,
    condition: fn.condition,
    timeoutMs: fn.timeoutMs,
    automationIds: fn.automationIds,
  };
}
