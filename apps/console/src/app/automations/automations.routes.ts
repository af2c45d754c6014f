import type { Routes } from '@angular/router';
import { AutomationEditPage } from './automation-edit.page';
import { AutomationsPage } from './automations.page';

export const AUTOMATIONS_ROUTES: Routes = [
  { path: '', component: AutomationsPage, title: 'Automations · Hookline' },
  { path: ':id', component: AutomationEditPage, title: 'Automation · Hookline' },
];
