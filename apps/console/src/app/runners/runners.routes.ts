import type { Routes } from '@angular/router';
import { RunnersPage } from './runners.page';

export const RUNNERS_ROUTES: Routes = [{ path: '', component: RunnersPage, title: 'Runners · Hookline' }];
