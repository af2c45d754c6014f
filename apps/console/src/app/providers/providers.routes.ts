import type { Routes } from '@angular/router';
import { PlaceholderPage } from '../shared/placeholder.page';

export const PROVIDERS_ROUTES: Routes = [{ path: '', component: PlaceholderPage, data: { heading: 'Providers' }, title: 'Providers · Hookline' }];
