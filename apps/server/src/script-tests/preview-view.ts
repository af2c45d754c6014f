/**
 * The answer of POST /api/preview. Types only, importing nothing but the engine's plain types:
 * the console imports this file too, so the contract is written once.
 */
import type { MessageStatus } from '../../../../libs/engine/src/message';
import type { LocatedScriptError } from '../../../../libs/engine/src/script-types';

export interface Named {
  id: string;
  name: string;
}

export interface Routing {
  providerId: string | null;
  providerName: string | null;
  functions: Named[];
}

/** What identification decides; `accepted` stands for every status after a provider took the message. */
export type DraftStatus = 'accepted' | 'no_provider' | 'unauthorized';

export interface PreviewItem {
  messageId: string;
  receivedAt: string;
  method: string;
  uri: string;
  eventType: string | null;
  /** What happened: the stored status, provider and the functions that ran. */
  actual: Routing & { status: MessageStatus };
  /** What the draft would do: the provider, and the functions whose condition holds. */
  draft: Routing & { status: DraftStatus; errors?: Array<Named & { error: LocatedScriptError }> };
  changed: boolean;
  changes: Array<'provider' | 'functions'>;
}

export interface PreviewView {
  limit: number;
  counts: { messages: number; changed: number };
  durationMs: number;
  /** The enabled providers in the draft's order. */
  order: Named[];
  /** Draft match scripts that do not compile, by provider id. */
  scriptErrors: Record<string, LocatedScriptError>;
  items: PreviewItem[];
}
