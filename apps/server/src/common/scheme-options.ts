import { schemeOptionsProblem } from '../../../../libs/providers/src';
import type { FieldCheck } from './validate';

/**
 * The check of `verification.options` in a provider's or endpoint's body: against the scheme the
 * body names, or else the one already stored (a PUT may send options alone).
 */
export function checkSchemeOptions(body: unknown, storedScheme?: string): FieldCheck {
  return (options) => {
    const named = (body as { verification?: { scheme?: unknown } } | null | undefined)?.verification?.scheme;
    const scheme = typeof named === 'string' ? named : storedScheme;
    return scheme === undefined ? undefined : schemeOptionsProblem(scheme, options as Record<string, unknown>);
  };
}
