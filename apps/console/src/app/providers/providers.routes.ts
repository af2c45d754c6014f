import type { Routes } from '@angular/router';
import { ProviderEditPage } from './provider-edit.page';
import { ProvidersPage } from './providers.page';

export const PROVIDERS_ROUTES: Routes = [
  { path: '', component: ProvidersPage, title: 'Providers · Hookline' },
  { path: ':id', component: ProviderEditPage, title: 'Provider · Hookline' },
];
