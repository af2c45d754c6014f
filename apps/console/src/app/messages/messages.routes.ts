import type { Routes } from '@angular/router';
import { PlaceholderPage } from '../shared/placeholder.page';

export const MESSAGES_ROUTES: Routes = [{ path: '', component: PlaceholderPage, data: { heading: 'Messages' }, title: 'Messages · Hookline' }];
