import type { Provider } from '../api/api-types';
import { optionTexts, optionsOf } from '../shared/option-texts';
import type { ProviderChanges } from './providers.api';

/** One editable key/value row (properties, or a new secret property). */
export interface PropertyRow {
  name: string;
  value: string;
}

/** The edit form's state: strings as the inputs hold them, turned into API changes on save. */
export interface ProviderDraft {
  name: string;
  description: string;
  enabled: boolean;
  matchScript: string;
  eventFormat: string;
  scheme: string;
  /** Option name → the text in its input. */
  options: Record<string, string>;
  /** Typed secret; empty keeps the stored one. */
  secret: string;
  removeSecret: boolean;
  previousSecret: string;
  removePreviousSecret: boolean;
  /** datetime-local text in the browser's time zone, or empty. */
  previousSecretExpiresAt: string;
  properties: PropertyRow[];
  /** Stored secret property names: a new value replaces one, `remove` deletes it. */
  storedSecretProperties: Array<{ name: string; value: string; remove: boolean }>;
  newSecretProperties: PropertyRow[];
  answerMode: Provider['answerMode'];
  /** Milliseconds as typed. */
  respondTimeoutMs: string;
  /** Whether answers that would be the 202 (async, and respond without a respond() in time) send the fixed answer below. */
  hasFixedAnswer: boolean;
  fixedStatus: string;
  fixedHeaders: PropertyRow[];
  fixedBody: string;
}

export const NEW_PROVIDER_SCRIPT = '// Return true for the requests this provider owns.\nreturn request.headers["x-my-sender"] !== undefined;\n';

export function draftOf(provider: Provider | undefined): ProviderDraft {
  return {
    name: provider?.name ?? '',
    description: provider?.description ?? '',
    enabled: provider?.enabled ?? true,
    matchScript: provider?.matchScript ?? NEW_PROVIDER_SCRIPT,
    eventFormat: provider?.eventFormat ?? 'none',
    scheme: provider?.verification.scheme ?? 'none',
    options: optionTexts(provider?.verification.options),
    secret: '',
    removeSecret: false,
    previousSecret: '',
    removePreviousSecret: false,
    previousSecretExpiresAt: toLocalInput(provider?.verification.previousSecretExpiresAt ?? null),
    properties: Object.entries(provider?.properties ?? {}).map(([name, value]) => ({ name, value })),
    storedSecretProperties: (provider?.secretProperties ?? []).map((name) => ({ name, value: '', remove: false })),
    newSecretProperties: [],
    answerMode: provider?.answerMode ?? 'async',
    respondTimeoutMs: String(provider?.respondTimeoutMs ?? 3000),
    hasFixedAnswer: !!provider?.fixedAnswer,
    fixedStatus: String(provider?.fixedAnswer?.status ?? 200),
    fixedHeaders: Object.entries(provider?.fixedAnswer?.headers ?? {}).map(([name, value]) => ({ name, value })),
    fixedBody: provider?.fixedAnswer?.body ?? '',
  };
}

/** What to send: every field of the form, secrets only when typed or removed. */
export function changesOf(draft: ProviderDraft, optionNames: readonly string[]): ProviderChanges {
  const secretProperties: Record<string, string | null> = {};
  for (const row of draft.storedSecretProperties) {
    if (row.remove) secretProperties[row.name] = null;
    else if (row.value) secretProperties[row.name] = row.value;
  }
  for (const row of draft.newSecretProperties) if (row.name.trim()) secretProperties[row.name.trim()] = row.value;
  return {
    name: draft.name,
    description: draft.description,
    enabled: draft.enabled,
    matchScript: draft.matchScript,
    eventFormat: draft.eventFormat,
    properties: Object.fromEntries(draft.properties.filter((row) => row.name.trim()).map((row) => [row.name.trim(), row.value])),
    ...(Object.keys(secretProperties).length > 0 && { secretProperties }),
    answerMode: draft.answerMode,
    respondTimeoutMs: numberOrText(draft.respondTimeoutMs),
    fixedAnswer: draft.hasFixedAnswer
      ? { status: numberOrText(draft.fixedStatus), headers: Object.fromEntries(draft.fixedHeaders.filter((row) => row.name.trim()).map((row) => [row.name.trim(), row.value])), body: draft.fixedBody }
      : null,
    verification: {
      scheme: draft.scheme,
      options: optionsOf(draft.options, optionNames),
      ...(draft.removeSecret ? { secret: null } : draft.secret ? { secret: draft.secret } : {}),
      ...(draft.removePreviousSecret ? { previousSecret: null } : draft.previousSecret ? { previousSecret: draft.previousSecret } : {}),
      previousSecretExpiresAt: draft.removePreviousSecret || !draft.previousSecretExpiresAt ? null : new Date(draft.previousSecretExpiresAt).toISOString(),
    },
  };
}

/** A whole number typed in an input; anything else is sent as typed, for the server to name the field. */
function numberOrText(text: string): number | string {
  const value = Number(text);
  return text.trim() !== '' && Number.isFinite(value) ? value : text;
}

/** An ISO time as a datetime-local input shows it, in the browser's time zone. */
function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const at = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
}
