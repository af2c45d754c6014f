import type { ProviderEvaluation } from './message';
import type { ProviderDefinition } from './ports';
import type { ScriptRequest, ScriptRunner } from './script-types';

export interface ProviderMatch {
  provider: ProviderDefinition | null;
  evaluations: ProviderEvaluation[];
}

/**
 * Offers the request to each provider in priority order; the first whose match
 * script answers truthy owns it and later ones are not evaluated. A script that
 * throws or times out counts as no, and the trace says why.
 */
export async function matchProvider(
  runner: ScriptRunner,
  providers: readonly ProviderDefinition[],
  request: ScriptRequest,
  timeoutMs: number,
): Promise<ProviderMatch> {
  const ordered = [...providers].sort((a, b) => a.priority - b.priority || a.name.localeCompare(b.name));
  const evaluations: ProviderEvaluation[] = [];
  for (const provider of ordered) {
    const outcome = await runner.runMatch({
      script: provider.matchScript,
      request,
      provider: { name: provider.name, properties: provider.properties, secrets: provider.secrets },
      timeoutMs,
    });
    const matched = outcome.ok && outcome.value;
    evaluations.push({
      providerId: provider.id,
      providerName: provider.name,
      priority: provider.priority,
      matched,
      durationMs: outcome.durationMs,
      ...(outcome.ok ? {} : { error: outcome.error }),
    });
    if (matched) return { provider, evaluations };
  }
  return { provider: null, evaluations };
}
