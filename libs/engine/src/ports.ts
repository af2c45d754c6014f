import type { InboundRequest } from './message';

/** A provider as the engine needs it; secrets stay with the verifier. */
export interface ProviderDefinition {
  id: string;
  name: string;
  priority: number;
  matchScript: string;
  properties: Record<string, string>;
  /** Secret properties, opened for scripts; the signature secrets stay with the verifier. */
  secrets: Record<string, string>;
  verificationScheme: string;
  /** How the provider's messages name their event (github, stripe, …). */
  eventFormat: string;
  /** Where the `descriptor` event format reads the event: set for providers made from a descriptor. */
  eventSource?: EventSource;
}

/** The header or payload field a sender names its event in, as a provider's descriptor says. */
export interface EventSource {
  /** Lower-case header name whose value is the event type. */
  header?: string;
  /** Dotted path into the JSON (or form) payload whose value is the event type, e.g. `meta.event`. */
  field?: string;
  /** Lower-case header name whose value is the sender's delivery id, for duplicate detection. */
  deliveryIdHeader?: string;
}

export interface FunctionDefinition {
  id: string;
  name: string;
  providerId: string;
  uri: string;
  script: string;
  condition: string | null;
  timeoutMs: number;
  /** Automations the function may start; an empty script starts them all. */
  automationIds: string[];
}

export interface VerificationInput {
  provider: ProviderDefinition;
  request: InboundRequest;
  /** An admin's resubmit: a stale timestamp is recorded but does not fail the check. */
  isResubmit: boolean;
  now: Date;
}

export type VerificationOutcome =
  | { ok: true; matchedSecret?: 'current' | 'previous'; note?: string }
  | { ok: false; reason: string; staleOnly?: boolean };

/** Checks that a message comes from the provider's sender. The server registers the schemes. */
export interface MessageVerifier {
  verify(input: VerificationInput): Promise<VerificationOutcome>;
}
