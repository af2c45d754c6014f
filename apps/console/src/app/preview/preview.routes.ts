import type { Routes } from '@angular/router';
import { PreviewPage } from './preview.page';

export const PREVIEW_ROUTES: Routes = [{ path: '', component: PreviewPage, title: 'Preview over history · Hookline' }];
