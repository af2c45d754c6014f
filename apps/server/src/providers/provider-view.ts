import type { WebhookDescriptor } from '../../../../libs/providers/src/descriptor/descriptor-types';

/**
 * A provider as the API answers it. Plain types only, and imports only of files of plain types:
 * the console imports this file too, so the contract is written once.
 */
export interface ProviderView {
  id: string;
  name: string;
  description: string;
  priority: number;
  enabled: boolean;
  matchScript: string;
  verification: {
    scheme: string;
    secretConfigured: boolean;
    previousSecretConfigured: boolean;
    previousSecretExpiresAt: string | null;
    options: Record<string, unknown>;
  };
  properties: Record<string, string>;
  /** The names of the secret properties that are set; their values are never shown. */
  secretProperties: string[];
  eventFormat: string;
  /** What the provider was made from, or null for one written by hand (see docs/providers.md). */
  descriptor: WebhookDescriptor | null;
  /** The match script, verification or event format differ from what the descriptor generates (edited since, or sent beside it). */
  descriptorEdited: boolean;
  /** How its webhooks are answered: async (202 at once), respond (the first respond(), or 202 after respondTimeoutMs), sync. */
  answerMode: 'async' | 'respond' | 'sync';
  respondTimeoutMs: number;
  /** Sent in place of the 202 in async mode; null for the usual answer. */
  fixedAnswer: { status: number; headers: Record<string, string>; body: string } | null;
  /** The built-in this provider was seeded from, or null for one an admin created. */
  builtin: string | null;
  createdAt: string;
  updatedAt: string;
}
