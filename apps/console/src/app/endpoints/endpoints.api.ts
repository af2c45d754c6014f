import { Injectable, inject } from '@angular/core';
import { ApiClient } from '../api/api-client';
import type { DeliveryPage, Endpoint, EndpointInput, EndpointWithUrl } from './endpoint-types';

/** The secret-token webhook endpoint routes of the admin API. */
@Injectable({ providedIn: 'root' })
export class EndpointsApi {
  private readonly api = inject(ApiClient);

  list(): Promise<Endpoint[]> {
    return this.api.get<Endpoint[]>('/webhooks');
  }

  get(id: string): Promise<Endpoint> {
    return this.api.get<Endpoint>(`/webhooks/${encodeURIComponent(id)}`);
  }

  create(input: EndpointInput): Promise<EndpointWithUrl> {
    return this.api.post<EndpointWithUrl>('/webhooks', input);
  }

  update(id: string, input: EndpointInput): Promise<Endpoint> {
    return this.api.put<Endpoint>(`/webhooks/${encodeURIComponent(id)}`, input);
  }

  remove(id: string): Promise<void> {
    return this.api.delete(`/webhooks/${encodeURIComponent(id)}`);
  }

  /** A new token: the answer holds the new URL, and the old one stops working at once. */
  regenerate(id: string): Promise<EndpointWithUrl> {
    return this.api.post<EndpointWithUrl>(`/webhooks/${encodeURIComponent(id)}/regenerate`);
  }

  /** Deliveries, newest first. */
  deliveries(id: string, cursor?: string | null): Promise<DeliveryPage> {
    const query = cursor ? `?cursor=${encodeURIComponent(cursor)}` : '';
    return this.api.get<DeliveryPage>(`/webhooks/${encodeURIComponent(id)}/deliveries${query}`);
  }
}
