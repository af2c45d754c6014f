import { z } from 'zod';
import type { RunnerEntity } from '../database/entities/runner.entity';
import { instant, uuid } from '../docs/contract';

/** A runner as the API answers it: never its token, but once, on creation. */
export const RunnerView = z
  .strictObject({
    id: uuid,
    name: z.string(),
    providers: z.array(uuid).nullable().describe('The providers whose events it sees; null for every provider'),
    createdAt: instant,
    lastSeenAt: instant.nullable(),
  })
  .meta({ id: 'Runner' });
export type RunnerView = z.output<typeof RunnerView>;

export const CreatedRunnerView = RunnerView.extend({
  token: z.string().describe('hlr_…; shown only in this answer; only its hash is kept'),
}).meta({ id: 'RunnerCreated' });
export type CreatedRunnerView = z.output<typeof CreatedRunnerView>;

export function toRunnerView(runner: RunnerEntity): RunnerView {
  return {
    id: runner.id,
    name: runner.name,
    providers: runner.providerIds,
    createdAt: runner.createdAt.toISOString(),
    lastSeenAt: runner.lastSeenAt?.toISOString() ?? null,
  };
}
