import type { Routes } from '@angular/router';
import { FunctionsPage } from './functions.page';

/** `/functions` lists them; `/functions/<id>` opens one beside the list; `/functions/new` starts one. */
export const FUNCTIONS_ROUTES: Routes = [
  { path: '', component: FunctionsPage, title: 'Functions · Hookline' },
  { path: ':id', component: FunctionsPage, title: 'Functions · Hookline' },
];
