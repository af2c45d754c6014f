import { z } from 'zod';
import { instant, uuid } from '../docs/contract';
import { RetryPolicyView } from '../common/retry-policy-view';
import { AnswerModeSchema } from '../providers/provider-view';

/** A function as the API answers it; the console imports its type. */
export const FunctionView = z
  .strictObject({
    id: uuid,
    name: z.string(),
    providerId: uuid,
    uri: z.string().meta({ example: 'git/push' }),
    enabled: z.boolean(),
    script: z.string().describe('An async function body; see script-api.d.ts'),
    condition: z.string().nullable().describe('A JavaScript expression, or null to run on every message').meta({ example: 'eventType == "push" && payload.ref == "refs/heads/main"' }),
    timeoutMs: z.number().int(),
    automationIds: z.array(z.string()).describe('Automations the function may start: all of them when its script is empty, else those its script starts with automations.trigger()'),
    retry: RetryPolicyView,
    answerMode: AnswerModeSchema.nullable().describe("Overrides the provider's answer mode; null takes the provider's"),
    createdAt: instant,
    updatedAt: instant,
  })
  .meta({ id: 'Function' });
export type FunctionView = z.output<typeof FunctionView>;
