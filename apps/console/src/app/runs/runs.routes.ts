import type { Routes } from '@angular/router';
import { RunsPage } from './runs.page';

export const RUNS_ROUTES: Routes = [{ path: '', component: RunsPage, title: 'Runs · Hookline' }];
