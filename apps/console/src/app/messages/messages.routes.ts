import type { Routes } from '@angular/router';
import { MessageDetailPage } from './message-detail.page';
import { MessagesListPage } from './messages-list.page';

export const MESSAGES_ROUTES: Routes = [
  { path: '', component: MessagesListPage, title: 'Messages · Hookline' },
  { path: ':id', component: MessageDetailPage, title: 'Message · Hookline' },
];
