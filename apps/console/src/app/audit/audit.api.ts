import { Injectable, inject } from '@angular/core';
import { ApiClient } from '../api/api-client';
import type { AuditPageView } from '../../../../server/src/audit/audit-view';

/** The filters of `GET /api/audit`, each optional; times are ISO. */
export interface AuditSelection {
  actor?: string;
  entity?: string;
  entityId?: string;
  action?: string;
  since?: string;
  until?: string;
}

/** The audit log, read only. */
@Injectable({ providedIn: 'root' })
export class AuditApi {
  private readonly api = inject(ApiClient);

  list(selection: AuditSelection, cursor?: string | null): Promise<AuditPageView> {
    const params = new URLSearchParams(Object.entries(selection).filter((entry): entry is [string, string] => !!entry[1]));
    if (cursor) params.set('cursor', cursor);
    const query = params.toString();
    return this.api.get<AuditPageView>(`/audit${query ? `?${query}` : ''}`);
  }
}
