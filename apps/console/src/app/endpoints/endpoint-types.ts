/** Shapes of the webhook endpoint routes of the admin API, as documented in GET /api/docs. */

export interface Endpoint {
  id: string;
  name: string;
  description: string;
  enabled: boolean;
  /** The token's first characters: enough to tell endpoints apart, never enough to call one. */
  tokenPrefix: string;
  verification: { scheme: string; secretConfigured: boolean; options: Record<string, unknown> };
  automationIds: string[];
  cooldownSeconds: number;
  lastAcceptedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Create and regenerate answer the full URL, once; later reads never have it. */
export interface EndpointWithUrl extends Endpoint {
  url: string;
}

export interface EndpointInput {
  name: string;
  description: string;
  enabled: boolean;
  automationIds: string[];
  cooldownSeconds: number | string;
  verification: { scheme: string; secret?: string | null };
}

export interface DeliveryAutomation {
  automationId: string;
  automationName?: string;
  runId?: string;
  status: string;
  error?: string;
}

export interface Delivery {
  messageId: string;
  receivedAt: string;
  status: string;
  statusReason: string | null;
  httpStatus: number | null;
  triggeredBy: string;
  automations: DeliveryAutomation[];
  /** The first 4 KB of the payload as text. */
  payloadPreview: string;
  payloadSize: number;
  payloadTruncated: boolean;
}

export interface DeliveryPage {
  items: Delivery[];
  nextCursor: string | null;
}
