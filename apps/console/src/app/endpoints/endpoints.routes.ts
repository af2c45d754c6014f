import type { Routes } from '@angular/router';
import { EndpointEditPage } from './endpoint-edit.page';
import { EndpointsPage } from './endpoints.page';

export const ENDPOINTS_ROUTES: Routes = [
  { path: '', component: EndpointsPage, title: 'Endpoints · Hookline' },
  { path: ':id', component: EndpointEditPage, title: 'Endpoint · Hookline' },
];
