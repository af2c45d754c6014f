import type { Routes } from '@angular/router';
import { GitProviderEditPage } from './git-provider-edit.page';
import { GitProvidersPage } from './git-providers.page';

export const GIT_PROVIDERS_ROUTES: Routes = [
  { path: '', component: GitProvidersPage, title: 'Git providers · Hookline' },
  { path: ':id', component: GitProviderEditPage, title: 'Git provider · Hookline' },
];
