import { Injectable, inject } from '@angular/core';
import { ApiClient } from '../api/api-client';
import type { PreviewView } from '../../../../server/src/script-tests/preview-view';

export type { PreviewItem, PreviewView } from '../../../../server/src/script-tests/preview-view';

/** What POST /api/preview takes: all optional; with none it replays the saved configuration. */
export interface PreviewRequest {
  /** Every provider id once, first runs first. */
  order?: string[];
  providers?: Record<string, { matchScript?: string; enabled?: boolean }>;
  limit?: number;
}

/** Preview over history: drafts replayed over stored messages, nothing saved. */
@Injectable({ providedIn: 'root' })
export class PreviewApi {
  private readonly api = inject(ApiClient);

  preview(request: PreviewRequest): Promise<PreviewView> {
    return this.api.post<PreviewView>('/preview', request);
  }
}
