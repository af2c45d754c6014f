import type { ProviderEntity } from '../database/entities/provider.entity';

/**
 * What a provider version keeps: the match script and the settings that decide how a request is
 * recognised and read. Secrets, properties, name, priority and the enabled switch are left out:
 * secrets never go into versions, and a restore should not rename, reorder or switch anything.
 * The migration that began versions writes this same shape.
 */
export function providerContent(p: ProviderEntity) {
  return {
    matchScript: p.matchScript,
    verification: { scheme: p.verificationScheme, options: p.verificationOptions },
    eventFormat: p.eventFormat,
    // Only when set, so hand-made providers' versions keep the shape they always had.
    ...(p.descriptor !== null && { descriptor: p.descriptor }),
  };
}

/** What `VersionsRepository.saveVersioned` records for a saved provider. */
export function providerVersion(saved: ProviderEntity) {
  return { subject: { kind: 'provider', id: saved.id } as const, content: providerContent(saved) };
}

/** An order version: the providers first to last, with their names then for reading a diff. */
export function orderContent(providers: Pick<ProviderEntity, 'id' | 'name'>[]) {
  return { providers: providers.map(({ id, name }) => ({ id, name })) };
}

export function idsOfOrder(content: Record<string, unknown>): string[] {
  return (content as ReturnType<typeof orderContent>).providers.map((p) => p.id);
}

/** Why a list of ids is not an order of exactly these providers; empty when it is. */
export function orderProblems(ids: string[], existing: Pick<ProviderEntity, 'id'>[]): { unknown: string[]; missing: string[]; repeated: string[] } {
  const known = new Set(existing.map((p) => p.id));
  return {
    unknown: ids.filter((id) => !known.has(id)),
    missing: existing.filter((p) => !ids.includes(p.id)).map((p) => p.id),
    repeated: ids.filter((id, index) => ids.indexOf(id) !== index),
  };
}

/** What is wrong with a new order, as a 400 says it, or undefined when it lists every provider exactly once. */
export function orderProblem(ids: string[], existing: Pick<ProviderEntity, 'id'>[]): string | undefined {
  const { unknown, missing, repeated } = orderProblems(ids, existing);
  if (!unknown.length && !missing.length && !repeated.length) return undefined;
  return (
    [
      unknown.length ? `name no provider: ${unknown.join(', ')}` : '',
      missing.length ? `leave out: ${missing.join(', ')}` : '',
      repeated.length ? `repeat: ${repeated.join(', ')}` : '',
    ]
      .filter(Boolean)
      .join('; ') + ' (list every provider id exactly once)'
  );
}
