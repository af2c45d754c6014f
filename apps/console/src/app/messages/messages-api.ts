import { Injectable, inject } from '@angular/core';
import { Observable } from 'rxjs';
import { ApiClient } from '../api/api-client';
import { filterQuery, type MessageFilter } from './message-filter';
import type { MessageChange, MessageDetail, MessagePage, ResubmitJob } from './message-types';

/** How long to wait before opening a new stream after the server refused one. */
const STREAM_RETRY_MS = 3000;

/** The message routes of the admin API. */
@Injectable({ providedIn: 'root' })
export class MessagesApi {
  private readonly api = inject(ApiClient);

  list(filter: MessageFilter, cursor?: string | null, limit = 50): Promise<MessagePage> {
    return this.api.get<MessagePage>(`/messages${filterQuery(filter, { limit: String(limit), ...(cursor ? { cursor } : {}) })}`);
  }

  get(id: string): Promise<MessageDetail> {
    return this.api.get<MessageDetail>(`/messages/${encodeURIComponent(id)}`);
  }

  /** Queues a copy of the message, edited when `edit` is given; answers the new message's id. */
  async resubmit(id: string, edit?: { headers: Record<string, string>; body?: string }): Promise<string> {
    const answer = await this.api.post<{ messageId?: unknown } | undefined>(`/messages/${encodeURIComponent(id)}/resubmit`, edit ?? {});
    if (typeof answer?.messageId === 'string') return answer.messageId;
    // An endpoint's redelivery answers what the endpoint answers: the original lists its copies.
    const copies = (await this.get(id)).trace.resubmittedAs ?? [];
    const newest = copies[copies.length - 1];
    if (!newest) throw new Error('The server did not say which message the resubmit created.');
    return newest;
  }

  /** How many messages the filter selects, without resubmitting any. */
  countSelection(filter: MessageFilter): Promise<{ matching: number }> {
    return this.api.post<{ matching: number }>('/messages/resubmit', { ...filter, dryRun: true });
  }

  /** Starts resubmitting every message the filter selects, oldest first, as a server-side job. */
  startResubmitJob(filter: MessageFilter): Promise<ResubmitJob> {
    return this.api.post<ResubmitJob>('/messages/resubmit-jobs', filter);
  }

  resubmitJob(id: string): Promise<ResubmitJob> {
    return this.api.get<ResubmitJob>(`/messages/resubmit-jobs/${encodeURIComponent(id)}`);
  }

  /** The raw body's address (served as a download, never rendered as a page). */
  bodyUrl(id: string): string {
    return `/api/messages/${encodeURIComponent(id)}/body`;
  }

  async rawBody(id: string): Promise<Uint8Array> {
    const response = await fetch(this.bodyUrl(id), { credentials: 'same-origin' });
    if (response.status === 401) await this.api.toLogin();
    if (!response.ok) throw new Error(`Reading the body failed with ${response.status} ${response.statusText}`);
    return new Uint8Array(await response.arrayBuffer());
  }

  /**
   * New messages and status changes matching `filter`, as they happen. The browser's
   * EventSource sends the session cookie and reconnects by itself with Last-Event-ID after a
   * dropped connection. An error answer (a 503 while the server cannot read its change feed, a
   * 401 after logout) makes it give up instead: then a lost session goes to the login page, and
   * otherwise a new stream starts after a pause from the last event seen, so nothing is missed
   * either way. `onState` says whether it is connected.
   */
  changes(filter: MessageFilter, onState: (connected: boolean) => void): Observable<MessageChange> {
    return new Observable<MessageChange>((subscriber) => {
      let source: EventSource | undefined;
      let lastEventId = '';
      let retry: ReturnType<typeof setTimeout> | undefined;
      let closed = false;
      const open = () => {
        source = new EventSource(`/api/messages/stream${filterQuery(filter, lastEventId ? { lastEventId } : {})}`, { withCredentials: true });
        source.onopen = () => onState(true);
        source.onmessage = (event: MessageEvent<string>) => {
          lastEventId = event.lastEventId || lastEventId;
          subscriber.next(JSON.parse(event.data) as MessageChange);
        };
        source.onerror = () => {
          onState(false);
          if (source?.readyState !== EventSource.CLOSED) return;
          void this.checkSession().then((loggedIn) => {
            if (loggedIn && !closed) retry = setTimeout(open, STREAM_RETRY_MS);
          });
        };
      };
      open();
      return () => {
        closed = true;
        clearTimeout(retry);
        source?.close();
      };
    });
  }

  /** False (and off to the login page) when the session has ended. */
  private async checkSession(): Promise<boolean> {
    const answer = await this.api.get<{ user: unknown }>('/auth/session').catch(() => undefined);
    if (answer?.user !== null) return true;
    await this.api.toLogin();
    return false;
  }
}
