import { Injectable } from '@angular/core';
import { CollectionApi } from '../api/collection-api';
import type { GitProvider, GitProviderCheck, GitProviderInput } from './git-provider-types';

/** The Git provider routes of the admin API: the hosts SCM polling asks, and the credentials it asks with. */
@Injectable({ providedIn: 'root' })
export class GitProvidersApi extends CollectionApi<GitProvider, GitProviderInput> {
  constructor() {
    super('/git-providers');
  }

  /** Asks the host who the saved credentials belong to; a refusal is an answer too, not an error. */
  check(id: string): Promise<GitProviderCheck> {
    return this.api.post<GitProviderCheck>(this.pathOf(id, '/check'));
  }
}
