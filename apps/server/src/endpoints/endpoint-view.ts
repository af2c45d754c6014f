/**
 * Secret-token endpoints and their deliveries as the API answers them. Plain types only, no
 * imports: the console imports this file too, so the contract is written once.
 */

export interface EndpointView {
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
export interface EndpointWithUrlView extends EndpointView {
  url: string;
}

/** What a delivery did for one linked automation. */
export interface DeliveryAutomationView {
  automationId: string;
  automationName?: string;
  runId?: string;
  /** The run's status when started (`pending`, or `skipped` when disabled), or `failed` when it could not start. */
  status: string;
  error?: string;
}

export interface DeliveryView {
  messageId: string;
  receivedAt: string;
  status: string;
  statusReason: string | null;
  httpStatus: number | null;
  triggeredBy: string;
  automations: DeliveryAutomationView[];
  /** The first bytes of the payload as text (see `payloadTruncated`). */
  payloadPreview: string;
  payloadSize: number;
  payloadTruncated: boolean;
}

export interface DeliveryPageView {
  items: DeliveryView[];
  nextCursor: string | null;
}
