import type { Routes } from '@angular/router';
import { requireLogin } from './auth/require-login';
import { requireRole } from './auth/require-role';
import { LoginPage } from './auth/login.page';
import { Shell } from './shell/shell';

/**
 * Each page owns its folder and its routes file (`<page>/<page>.routes.ts`), loaded lazily, so
 * a page can grow sub-routes without touching this file.
 */
export const routes: Routes = [
  { path: 'login', component: LoginPage, title: 'Log in · Hookline' },
  {
    path: '',
    component: Shell,
    canActivate: [requireLogin],
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'overview' },
      { path: 'overview', loadChildren: () => import('./overview/overview.routes').then((m) => m.OVERVIEW_ROUTES) },
      { path: 'providers', loadChildren: () => import('./providers/providers.routes').then((m) => m.PROVIDERS_ROUTES) },
      { path: 'functions', loadChildren: () => import('./functions/functions.routes').then((m) => m.FUNCTIONS_ROUTES) },
      { path: 'preview', canActivate: [requireRole('editor')], loadChildren: () => import('./preview/preview.routes').then((m) => m.PREVIEW_ROUTES) },
      { path: 'messages', loadChildren: () => import('./messages/messages.routes').then((m) => m.MESSAGES_ROUTES) },
      { path: 'automations', loadChildren: () => import('./automations/automations.routes').then((m) => m.AUTOMATIONS_ROUTES) },
      { path: 'endpoints', loadChildren: () => import('./endpoints/endpoints.routes').then((m) => m.ENDPOINTS_ROUTES) },
      { path: 'runs', loadChildren: () => import('./runs/runs.routes').then((m) => m.RUNS_ROUTES) },
      { path: 'git-providers', loadChildren: () => import('./git-providers/git-providers.routes').then((m) => m.GIT_PROVIDERS_ROUTES) },
      { path: 'runners', loadChildren: () => import('./runners/runners.routes').then((m) => m.RUNNERS_ROUTES) },
      { path: 'audit', canActivate: [requireRole('admin')], loadChildren: () => import('./audit/audit.routes').then((m) => m.AUDIT_ROUTES) },
      { path: 'users', canActivate: [requireRole('admin')], loadChildren: () => import('./users/users.routes').then((m) => m.USERS_ROUTES) },
      { path: 'account', loadChildren: () => import('./account/account.routes').then((m) => m.ACCOUNT_ROUTES) },
      { path: '**', loadComponent: () => import('./shell/not-found.page').then((m) => m.NotFoundPage), title: 'Not found · Hookline' },
    ],
  },
];
