/**
 * Secret-token endpoints and their deliveries as the API answers them: the zod schemas of the
 * API contract, and the types the service builds them with. The console imports the types only.
 */
import { z } from 'zod';
import { instant, uuid } from '../docs/contract';

const int = z.number().int();

export const EndpointView = z
  .strictObject({
    id: uuid,
    name: z.string(),
    description: z.string(),
    enabled: z.boolean(),
    tokenPrefix: z.string().describe('The first 10 characters of the token (hle_ and six more), to tell endpoints apart'),
    verification: z
      .strictObject({ scheme: z.string(), secretConfigured: z.boolean().describe('The secret itself is never returned'), options: z.record(z.string(), z.unknown()) })
      .describe('How deliveries are verified, as for providers'),
    automationIds: z.array(uuid).describe('The automations each delivery starts, in order'),
    cooldownSeconds: int,
    lastAcceptedAt: instant.nullable(),
    createdAt: instant,
    updatedAt: instant,
  })
  .meta({ id: 'Endpoint' });
export type EndpointView = z.output<typeof EndpointView>;

/** Create and regenerate answer the full URL, once; later reads never have it. */
export const EndpointWithUrlView = EndpointView.extend({
  url: z.string().describe('<public base URL>/api/webhooks/inbound/<token>; only in the answers to create and regenerate: the token is shown once'),
}).meta({ id: 'EndpointWithUrl' });
export type EndpointWithUrlView = z.output<typeof EndpointWithUrlView>;

/** What a delivery did for one linked automation. */
export const DeliveryAutomationView = z.strictObject({
  automationId: z.string(),
  automationName: z.string().optional(),
  runId: uuid.optional(),
  status: z.string().describe('The run\'s status when started (pending, or skipped when disabled), or failed when it could not start'),
  error: z.string().optional(),
});
export type DeliveryAutomationView = z.output<typeof DeliveryAutomationView>;

export const DeliveryView = z
  .strictObject({
    messageId: uuid,
    receivedAt: instant,
    status: z.string().describe("The message's status"),
    statusReason: z.string().nullable(),
    httpStatus: int.nullable().describe('The status the sender was answered'),
    triggeredBy: z.string().describe('webhook, or resubmit'),
    automations: z.array(DeliveryAutomationView),
    payloadPreview: z.string().describe('The first bytes of the payload as text (see payloadTruncated)'),
    payloadSize: int,
    payloadTruncated: z.boolean(),
  })
  .meta({ id: 'Delivery' });
export type DeliveryView = z.output<typeof DeliveryView>;

export const DeliveryPageView = z.strictObject({ items: z.array(DeliveryView), nextCursor: z.string().nullable() });
export type DeliveryPageView = z.output<typeof DeliveryPageView>;

/** The answer to a delivery the endpoint took: each linked automation started, skipped (endpoint disabled) or failed to start. */
export const DeliveryAnswer = z
  .strictObject({
    messageId: uuid,
    status: z.enum(['processed', 'failed', 'disabled']).describe('failed: no linked automation could start; disabled: the endpoint is disabled and nothing started'),
    automations: z.array(DeliveryAutomationView),
  })
  .meta({ id: 'EndpointDeliveryAnswer' });

/** The answer to a delivery refused by its verification or its cooldown. */
export const DeliveryRefusal = (status: 'unauthorized' | 'throttled') => z.strictObject({ messageId: uuid, status: z.literal(status), message: z.string() });
