import { Injectable, inject } from '@angular/core';
import { ApiClient } from '../api/api-client';
import type { Provider } from '../api/api-types';
import type { FunctionView } from '../../../../server/src/functions/function-view';

/** A function as `GET /api/functions` answers it; written once, in the server: the console compiles the same file. */
export type HooklineFunction = FunctionView;

/** What the form sends on create and save. */
export type FunctionDraft = Pick<HooklineFunction, 'name' | 'providerId' | 'uri' | 'enabled' | 'script' | 'condition' | 'timeoutMs' | 'automationIds'>;

/** The part of an automation the functions page shows, to link it. */
export interface AutomationSummary {
  id: string;
  name: string;
  description: string;
  enabled: boolean;
}

/** The calls the functions page makes. */
@Injectable({ providedIn: 'root' })
export class FunctionsApi {
  private readonly api = inject(ApiClient);

  list(): Promise<HooklineFunction[]> {
    return this.api.get('/functions');
  }

  create(draft: FunctionDraft): Promise<HooklineFunction> {
    return this.api.post('/functions', draft);
  }

  /** Saves; `comment` is kept with the version the save makes. */
  update(id: string, draft: FunctionDraft & { comment?: string }): Promise<HooklineFunction> {
    return this.api.put(`/functions/${encodeURIComponent(id)}`, draft);
  }

  remove(id: string): Promise<void> {
    return this.api.delete(`/functions/${encodeURIComponent(id)}`);
  }

  providers(): Promise<Provider[]> {
    return this.api.get('/providers');
  }

  automations(): Promise<AutomationSummary[]> {
    return this.api.get('/automations');
  }
}
