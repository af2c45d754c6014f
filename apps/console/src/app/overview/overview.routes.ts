import type { Routes } from '@angular/router';
import { OverviewPage } from './overview.page';

export const OVERVIEW_ROUTES: Routes = [
  { path: '', component: OverviewPage, title: 'Overview · Hookline' },
];
