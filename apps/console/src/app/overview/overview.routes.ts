import type { Routes } from '@angular/router';
import { PlaceholderPage } from '../shared/placeholder.page';

export const OVERVIEW_ROUTES: Routes = [{ path: '', component: PlaceholderPage, data: { heading: 'Overview' }, title: 'Overview · Hookline' }];
