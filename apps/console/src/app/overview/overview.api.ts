import { Injectable, inject } from '@angular/core';
import { ApiClient } from '../api/api-client';
import type { OverviewRange, OverviewView } from '../../../../server/src/overview/overview-view';

export type { FunctionTiming, OverviewBucket, OverviewRange, OverviewView } from '../../../../server/src/overview/overview-view';

/** The aggregate route behind the overview page: every figure is counted by the server. */
@Injectable({ providedIn: 'root' })
export class OverviewApi {
  private readonly api = inject(ApiClient);

  get(range: OverviewRange): Promise<OverviewView> {
    return this.api.get<OverviewView>(`/overview?range=${range}`);
  }
}
