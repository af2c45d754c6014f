import { z } from 'zod';
import { resolveRetryPolicy, type RetryPolicy, type StoredRetryPolicy } from '../../../../libs/engine/src';
import type { AppConfig } from '../config';
import type { AutomationEntity } from '../database/entities/automation.entity';

const milliseconds = (max: number, label: string) =>
  z
    .number({ error: 'must be a whole number of milliseconds' })
    .int('must be a whole number of milliseconds')
    .min(0, 'must be at least 0')
    .max(max, `must be at most ${max} (${label})`);

/** A retry policy as functions and automations accept it; fields left out take the defaults. */
export const RetryInput = z.strictObject(
  {
    attempts: z.number({ error: 'must be a whole number' }).int('must be a whole number').min(0, 'must be at least 0').max(20, 'must be at most 20'),
    delayMs: milliseconds(86_400_000, '1 day'),
    maxDelayMs: milliseconds(86_400_000, '1 day'),
  },
  { error: 'must be an object such as {"attempts": 3, "delayMs": 1000, "maxDelayMs": 60000}' },
).partial();

/** Functions are not retried unless their policy says so: a retry runs their side effects again. */
export function functionRetryPolicy(stored: StoredRetryPolicy | null | undefined, config: AppConfig): RetryPolicy {
  return resolveRetryPolicy(stored, { attempts: 0, delayMs: config.retryDelayMs, maxDelayMs: config.retryMaxDelayMs });
}

/**
 * An http call is retried 5 times by default (an older automation's `retries` counts instead);
 * a command or a task is not, as running either again may repeat what it already did.
 */
export function automationRetryPolicy(automation: Pick<AutomationEntity, 'retry' | 'target'>, config: AppConfig): RetryPolicy {
  const target = automation.target;
  const attempts = target.kind === 'http' ? (target.retries ?? 5) : 0;
  return resolveRetryPolicy(automation.retry, { attempts, delayMs: config.retryDelayMs, maxDelayMs: config.retryMaxDelayMs });
}
