import type { Routes } from '@angular/router';
import { PlaceholderPage } from '../shared/placeholder.page';

export const FUNCTIONS_ROUTES: Routes = [{ path: '', component: PlaceholderPage, data: { heading: 'Functions' }, title: 'Functions · Hookline' }];
