import type { Routes } from '@angular/router';
import { RunPage } from './run.page';
import { RunsPage } from './runs.page';

export const RUNS_ROUTES: Routes = [
  { path: '', component: RunsPage, title: 'Runs · Hookline' },
  { path: ':id', component: RunPage, title: 'Run · Hookline' },
];
