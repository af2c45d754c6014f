import type { Routes } from '@angular/router';
import { PlaceholderPage } from '../shared/placeholder.page';

export const ENDPOINTS_ROUTES: Routes = [{ path: '', component: PlaceholderPage, data: { heading: 'Endpoints' }, title: 'Endpoints · Hookline' }];
