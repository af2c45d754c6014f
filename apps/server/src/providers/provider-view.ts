import { z } from 'zod';
import { ANSWER_MODES } from '../../../../libs/engine/src/answer-mode';
import { DESCRIPTOR_ALGORITHMS } from '../../../../libs/providers/src/descriptor/descriptor-types';
import { EVENT_FORMATS } from '../../../../libs/providers/src/events/event-types';
import { instant, uuid } from '../docs/contract';

export const AnswerModeSchema = z.enum(ANSWER_MODES, { error: `must be one of ${ANSWER_MODES.join(', ')}` }).meta({
  id: 'AnswerMode',
  description:
    'How a webhook is answered: async, 202 at once; respond, the first respond() of a function run from the queue, or 202 after respondTimeoutMs; sync, after the functions ran. ' +
    'The header or query flex-sync-webhook=true forces sync. A function may override its provider; the strongest mode of the functions on the uri wins (sync over respond over async)',
});

export const EventFormatSchema = z.enum(EVENT_FORMATS, { error: `must be one of ${EVENT_FORMATS.join(', ')}` }).meta({
  id: 'EventFormat',
  description: "How the provider names events and reads delivery ids; descriptor reads them where the provider's descriptor says",
});

/** A descriptor as stored and answered: `pathSuffix` always a list (the input also takes one uri). */
export const WebhookDescriptorView = z
  .strictObject({
    algorithm: z.enum(DESCRIPTOR_ALGORITHMS),
    header: z.string().optional(),
    format: z.string().optional(),
    signedContent: z.string().optional(),
    timestampHeader: z.string().optional(),
    toleranceSeconds: z.number().optional(),
    pathSuffix: z.array(z.string()).describe('The uris after /webhooks/ this provider owns, without slashes around them; each owns everything under it too'),
    eventHeader: z.string().optional(),
    eventField: z.string().optional(),
    deliveryIdHeader: z.string().optional(),
  })
  .meta({ id: 'WebhookDescriptor', description: 'What a sender\'s webhooks look like: how they are signed, which uris they arrive on, and where they name their event (see WebhookDescriptorInput)' });

export const FixedAnswerView = z
  .strictObject({
    status: z.number().int().min(200).max(299),
    headers: z.record(z.string(), z.string()).describe('Header names are stored lower-case'),
    body: z.string(),
  })
  .meta({ id: 'FixedAnswer', description: 'Sent in place of the 202 in async mode' });

export const VerificationView = z
  .strictObject({
    scheme: z.string().meta({ example: 'none' }),
    secretConfigured: z.boolean(),
    previousSecretConfigured: z.boolean(),
    previousSecretExpiresAt: instant.nullable(),
    options: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'Verification', description: 'The scheme and its options; whether secrets are set, never the secrets' });

/** A provider as the API answers it; the console imports its type. */
export const ProviderView = z
  .strictObject({
    id: uuid,
    name: z.string(),
    description: z.string(),
    priority: z.number().int().describe('Lower runs first'),
    enabled: z.boolean(),
    matchScript: z.string().describe('A function body with `request` and `provider` in scope; truthy claims the message'),
    verification: VerificationView,
    properties: z.record(z.string(), z.string()).describe('Plain text, shown to every reader'),
    secretProperties: z.array(z.string()).describe('The names of the secret properties that are set; values are never returned'),
    eventFormat: EventFormatSchema,
    descriptor: WebhookDescriptorView.nullable().describe('What the provider was made from; null when written by hand (see docs/providers.md)'),
    descriptorEdited: z.boolean().describe('The match script, verification or event format differ from what the descriptor generates: edited since, or sent beside it'),
    answerMode: AnswerModeSchema,
    respondTimeoutMs: z
      .number()
      .int()
      .describe("In respond mode: how long the sender waits for the first respond() before it gets a 202; at most the server's sync timeout (HOOKLINE_SYNC_TIMEOUT)"),
    fixedAnswer: FixedAnswerView.nullable().describe('Sent in place of the 202 in async mode; null for the usual answer'),
    builtin: z.string().nullable().describe('The built-in this provider was seeded from; null for one an admin created'),
    createdAt: instant,
    updatedAt: instant,
  })
  .meta({ id: 'Provider' });
export type ProviderView = z.output<typeof ProviderView>;

/** The verification schemes and event formats a provider can choose from. */
export const SchemesView = z
  .strictObject({
    schemes: z.array(
      z.strictObject({
        name: z.string(),
        description: z.string(),
        needsSecret: z.boolean(),
        options: z.record(z.string(), z.string()).describe('Each option the scheme reads, with what it does'),
      }),
    ),
    eventFormats: z.array(EventFormatSchema),
  })
  .meta({ id: 'Schemes' });
export type SchemesView = z.output<typeof SchemesView>;

/** What a descriptor generates, as POST /api/providers/descriptor-preview answers it. */
export const GeneratedProviderView = z
  .strictObject({
    descriptor: WebhookDescriptorView.describe('As stored: pathSuffix as a list of uris without slashes around them'),
    matchScript: z.string().describe('scripts/descriptor/match.js with the uris filled in as a JSON literal'),
    verification: z.strictObject({ scheme: z.string().describe('custom-hmac, or none for algorithm none'), options: z.record(z.string(), z.unknown()) }),
    eventFormat: EventFormatSchema.describe('descriptor'),
  })
  .meta({ id: 'GeneratedProvider' });
export type GeneratedProviderView = z.output<typeof GeneratedProviderView>;
