import { Injectable } from '@angular/core';
import { CollectionApi } from '../api/collection-api';
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
  answerMode?: Provider['answerMode'];
  /** A number, or the text typed when it is not one, for the server to name. */
  respondTimeoutMs?: number | string;
  fixedAnswer?: { status: number | string; headers: Record<string, string>; body: string } | null;
  /** Generates the match script, verification and event format; null forgets it. */
  descriptor?: Record<string, unknown> | null;
  verification?: {
    scheme?: string;
    options?: Record<string, unknown>;
    /** Left out: kept. null: removed. */
    secret?: string | null;
    previousSecret?: string | null;
    previousSecretExpiresAt?: string | null;
  };
}

/** What a descriptor generates (POST /api/providers/descriptor-preview). */
export interface GeneratedProvider {
  descriptor: NonNullable<Provider['descriptor']>;
  matchScript: string;
  verification: { scheme: string; options: Record<string, unknown> };
  eventFormat: string;
}

/** The providers routes of the admin API. */
@Injectable({ providedIn: 'root' })
export class ProvidersApi extends CollectionApi<Provider, ProviderChanges> {
  constructor() {
    super('/providers');
  }

  /** Sets the priority order; answers every provider in its new order. */
  reorder(ids: string[]): Promise<Provider[]> {
    return this.api.put<Provider[]>('/providers/order', { ids });
  }

  /** Restores a built-in provider's shipped script, scheme and event format. */
  reset(id: string): Promise<Provider> {
    return this.api.post<Provider>(this.pathOf(id, '/reset'));
  }

  /** What the descriptor would generate; nothing is saved. */
  previewDescriptor(descriptor: Record<string, unknown>): Promise<GeneratedProvider> {
    return this.api.post<GeneratedProvider>('/providers/descriptor-preview', { descriptor });
  }

  schemes(): Promise<SchemesAnswer> {
    return this.api.get<SchemesAnswer>('/schemes');
  }
}
