import { Injectable, inject } from '@angular/core';
import { ApiClient } from '../api/api-client';
import type { Provider, SchemesAnswer } from '../api/api-types';

/** What a save sends: PUT changes only the fields it names; secrets are write-only. */
export interface ProviderChanges {
  /** Kept with the version the save makes. */
  comment?: string;
  name?: string;
  description?: string;
  enabled?: boolean;
  matchScript?: string;
  eventFormat?: string;
  properties?: Record<string, string>;
  /** Names to set; null removes one; names left out stay. */
  secretProperties?: Record<string, string | null>;
  verification?: {
    scheme?: string;
    options?: Record<string, unknown>;
    /** Left out: kept. null: removed. */
    secret?: string | null;
    previousSecret?: string | null;
    previousSecretExpiresAt?: string | null;
  };
}

/** The providers routes of the admin API. */
@Injectable({ providedIn: 'root' })
export class ProvidersApi {
  private readonly api = inject(ApiClient);

  list(): Promise<Provider[]> {
    return this.api.get<Provider[]>('/providers');
  }

  get(id: string): Promise<Provider> {
    return this.api.get<Provider>(`/providers/${encodeURIComponent(id)}`);
  }

  create(changes: ProviderChanges): Promise<Provider> {
    return this.api.post<Provider>('/providers', changes);
  }

  update(id: string, changes: ProviderChanges): Promise<Provider> {
    return this.api.put<Provider>(`/providers/${encodeURIComponent(id)}`, changes);
  }

  /** Sets the priority order; answers every provider in its new order. */
  reorder(ids: string[]): Promise<Provider[]> {
    return this.api.put<Provider[]>('/providers/order', { ids });
  }

  /** Restores a built-in provider's shipped script, scheme and event format. */
  reset(id: string): Promise<Provider> {
    return this.api.post<Provider>(`/providers/${encodeURIComponent(id)}/reset`);
  }

  remove(id: string): Promise<void> {
    return this.api.delete(`/providers/${encodeURIComponent(id)}`);
  }

  schemes(): Promise<SchemesAnswer> {
    return this.api.get<SchemesAnswer>('/schemes');
  }
}
