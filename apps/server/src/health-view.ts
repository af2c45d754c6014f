import { z } from 'zod';
import { PROCESS_ROLES } from './config';

export const HealthView = z.strictObject({ status: z.literal('ok') });
export type HealthView = z.output<typeof HealthView>;

const check = z.string().describe('ok, or why not (e.g. "no answer within 1000 ms")');

/** The answer of GET /ready, 200 or 503 alike. */
export const ReadinessView = z
  .strictObject({
    status: z.enum(['ready', 'not ready']),
    roles: z.array(z.enum(PROCESS_ROLES)).describe('The roles this process takes (HOOKLINE_ROLE); every role on the embedded database'),
    checks: z
      .strictObject({ database: check, migrations: check, sandbox: check.optional().describe('Only for the ingress and worker roles, which run scripts') })
      .describe('Each check: ok, or why not'),
  })
  .meta({ id: 'Readiness' });
export type ReadinessView = z.output<typeof ReadinessView>;
