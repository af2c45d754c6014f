import { z } from 'zod';
import { MESSAGE_STATUSES } from '../../../../libs/engine/src';
import { uuid } from '../docs/contract';

/**
 * The JSON answer the engine makes to a webhook or a resubmit (httpAnswer in the engine's
 * http-answer.ts). Not strict: an answer a function sets with respond(), a provider's fixed answer
 * or a handshake reply is the sender's own body and is described by the route, not here.
 */
export const AnswerView = z
  .strictObject({
    messageId: uuid,
    status: z.enum([...MESSAGE_STATUSES, 'disabled']).describe("The message's status, or disabled for a delivery to a disabled endpoint"),
    message: z.string().optional().describe('What happened, when it is not plain from the status'),
    duplicateOf: uuid.optional().describe('duplicate: the message that accepted this delivery before'),
    functions: z
      .array(
        z.strictObject({
          id: uuid,
          name: z.string(),
          status: z.string(),
          durationMs: z.number(),
          result: z.unknown().optional(),
          error: z.string().optional(),
        }),
      )
      .optional()
      .describe('sync: each function that ran'),
    automations: z.array(z.record(z.string(), z.unknown())).optional().describe('A delivery to an endpoint: each linked automation started or skipped'),
  })
  .meta({ id: 'Answer' });
