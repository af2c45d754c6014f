import type { RetryPolicy } from '../../../../libs/engine/src/retry-policy';

/**
 * A function as the API answers it. Types only: the console imports this file too, so the
 * contract is written once.
 */
export interface FunctionView {
  id: string;
  name: string;
  providerId: string;
  uri: string;
  enabled: boolean;
  script: string;
  /** A JavaScript expression, or null to run on every message. */
  condition: string | null;
  timeoutMs: number;
  automationIds: string[];
  retry: RetryPolicy;
  /** Overrides the provider's answer mode; null takes the provider's. */
  answerMode: 'async' | 'respond' | 'sync' | null;
  createdAt: string;
  updatedAt: string;
}
