import type { ApiTransport } from './api';
import { type AppliedChange, applyPlan } from './apply-plan';
import type { ConfigDocument } from './config-document';
import { type Plan, type PlanOptions, planConfig } from './plan';
import { readServerState } from './server-state';

/**
 * Plans `document` against the server and, unless `dryRun`, applies it. The one path both
 * `hookline import` and a server's HOOKLINE_CONFIG take.
 */
export async function importConfig(
  transport: ApiTransport,
  document: ConfigDocument,
  options: PlanOptions & { dryRun: boolean; onApplied?: (applied: AppliedChange) => void },
): Promise<Plan> {
  const state = await readServerState(transport);
  const { plan, steps } = planConfig(document, state, options);
  if (!options.dryRun) await applyPlan(transport, state, plan, steps, options.onApplied);
  return plan;
}
