import type { Provider } from '../api/api-types';
import type { PreviewRequest } from './preview.api';

/** One provider as the draft has it, beside what is saved. */
export interface DraftProvider {
  saved: Provider;
  enabled: boolean;
  matchScript: string;
}

export function draftOf(providers: Provider[]): DraftProvider[] {
  return providers.map((saved) => ({ saved, enabled: saved.enabled, matchScript: saved.matchScript }));
}

export function isEdited(row: DraftProvider): boolean {
  return row.enabled !== row.saved.enabled || row.matchScript !== row.saved.matchScript;
}

/**
 * The request for a draft: only what differs from the saved configuration, so an unchanged
 * draft previews exactly what is saved.
 */
export function previewRequest(rows: DraftProvider[], saved: Provider[], limit: number): PreviewRequest {
  const request: PreviewRequest = { limit };
  const order = rows.map((row) => row.saved.id);
  if (order.some((id, index) => id !== saved[index]?.id)) request.order = order;
  const providers: NonNullable<PreviewRequest['providers']> = {};
  for (const row of rows) {
    if (row.matchScript !== row.saved.matchScript) providers[row.saved.id] = { matchScript: row.matchScript };
    if (row.enabled !== row.saved.enabled) providers[row.saved.id] = { ...providers[row.saved.id], enabled: row.enabled };
  }
  if (Object.keys(providers).length > 0) request.providers = providers;
  return request;
}
