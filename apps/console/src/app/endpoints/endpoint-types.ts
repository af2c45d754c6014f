/** Shapes of the webhook endpoint routes of the admin API, as documented in GET /api/docs. */

/** Written once, in the server: the console compiles the same file. */
export type {
  DeliveryPageView as DeliveryPage,
  DeliveryView as Delivery,
  EndpointView as Endpoint,
  EndpointWithUrlView as EndpointWithUrl,
} from '../../../../server/src/endpoints/endpoint-view';

export interface EndpointInput {
  name: string;
  description: string;
  enabled: boolean;
  automationIds: string[];
  cooldownSeconds: number | string;
  verification: { scheme: string; options: Record<string, unknown>; secret?: string | null };
}
