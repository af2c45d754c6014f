import type { Routes } from '@angular/router';
import { AccountPage } from './account.page';

export const ACCOUNT_ROUTES: Routes = [{ path: '', component: AccountPage, title: 'Account · Hookline' }];
