import type { Routes } from '@angular/router';
import { PlaceholderPage } from '../shared/placeholder.page';

export const AUTOMATIONS_ROUTES: Routes = [{ path: '', component: PlaceholderPage, data: { heading: 'Automations' }, title: 'Automations · Hookline' }];
