import { Injectable } from '@angular/core';
import { CollectionApi } from '../api/collection-api';
import type { Provider } from '../api/api-types';
import type { FunctionView } from '../../../../server/src/functions/function-view';

/** A function as `GET /api/functions` answers it; written once, in the server: the console compiles the same file. */
export type HooklineFunction = FunctionView;

/** What the form sends on create and save. */
export type FunctionDraft = Pick<HooklineFunction, 'name' | 'providerId' | 'uri' | 'enabled' | 'script' | 'condition' | 'timeoutMs' | 'automationIds' | 'answerMode'>;

/** The part of an automation the functions page shows, to link it. */
export interface AutomationSummary {
  id: string;
  name: string;
  description: string;
  enabled: boolean;
}

/** The calls the functions page makes; `update` keeps `comment` with the version the save makes. */
@Injectable({ providedIn: 'root' })
export class FunctionsApi extends CollectionApi<HooklineFunction, FunctionDraft & { comment?: string }> {
  constructor() {
    super('/functions');
  }

  providers(): Promise<Provider[]> {
    return this.api.get('/providers');
  }

  automations(): Promise<AutomationSummary[]> {
    return this.api.get('/automations');
  }
}
