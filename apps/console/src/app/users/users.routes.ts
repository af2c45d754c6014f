import type { Routes } from '@angular/router';
import { UsersPage } from './users.page';

export const USERS_ROUTES: Routes = [{ path: '', component: UsersPage, title: 'Users · Hookline' }];
