import type { ProviderEvaluation } from './message';
import type { ProviderDefinition } from './ports';
import type { ScriptRequest, ScriptRunner } from './script-types';

export interface ProviderMatch {
  provider: ProviderDefinition | null;
  evaluations: ProviderEvaluation[];
}

/**
 * How much longer a timed-out match script gets on its second try. Match limits are wall-clock
 * and short, so a busy machine can end a well-behaved script early; falling through to a later
 * provider then would hand a signed delivery to, say, a catch-all that verifies nothing.
 */
export const MATCH_RETRY_FACTOR = 10;

/**
 * Offers the request to each provider in priority order; the first whose match
 * script answers truthy owns it and later ones are not evaluated. A script that
 * throws counts as no; one that times out is tried once more with a larger limit
 * and counts as no if it times out again. The trace says why.
 */
export async function matchProvider(
  runner: ScriptRunner,
  providers: readonly ProviderDefinition[],
  request: ScriptRequest,
  timeoutMs: number,
): Promise<ProviderMatch> {
  const ordered = [...providers].sort((a, b) => a.priority - b.priority || a.name.localeCompare(b.name));
  const evaluations: ProviderEvaluation[] = [];
  const candidateOf = (provider: ProviderDefinition) => ({
    script: provider.matchScript,
    provider: { name: provider.name, properties: provider.properties, secrets: provider.secrets },
  });
  while (evaluations.length < ordered.length) {
    const from = evaluations.length;
    const outcomes = await runner.matchInOrder({ request, candidates: ordered.slice(from).map(candidateOf), timeoutMs });
    if (outcomes.length === 0) break;
    for (const [offset, first] of outcomes.entries()) {
      const provider = ordered[from + offset]!;
      const isRetried = !first.ok && first.error.kind === 'timeout';
      const outcome = isRetried
        ? await runner.runMatch({ ...candidateOf(provider), request, timeoutMs: timeoutMs * MATCH_RETRY_FACTOR })
        : first;
      const matched = outcome.ok && outcome.value;
      evaluations.push({
        providerId: provider.id,
        providerName: provider.name,
        priority: provider.priority,
        matched,
        durationMs: isRetried ? first.durationMs + outcome.durationMs : outcome.durationMs,
        ...(isRetried && { retriedAfterTimeout: true }),
        ...(outcome.ok ? {} : { error: outcome.error }),
      });
      if (matched) return { provider, evaluations };
    }
  }
  return { provider: null, evaluations };
}
