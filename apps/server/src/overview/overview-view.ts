/**
 * The answer of GET /api/overview, as the zod schemas the API contract is written from. The
 * console imports the types of this file (never a value), so the answer is written once.
 */
import { z } from 'zod';
import { MESSAGE_STATUSES } from '../../../../libs/engine/src/message';
import { instant } from '../docs/contract';

export const OverviewRangeSchema = z.enum(['1h', '24h']).describe('1h: one-minute buckets; 24h: 15-minute buckets');
export type OverviewRange = z.output<typeof OverviewRangeSchema>;

const status = z.enum(MESSAGE_STATUSES);
const count = z.number().int();

export const OverviewBucket = z.strictObject({
  start: instant.describe("The bucket's first instant; buckets are bucketSeconds wide"),
  total: count,
  byStatus: z.partialRecord(status, count).describe('Messages received in the bucket by their status now; statuses with none are left out'),
});
export type OverviewBucket = z.output<typeof OverviewBucket>;

export const FunctionTiming = z.strictObject({
  functionId: z.string(),
  functionName: z.string(),
  runs: count,
  failures: count,
  p95Ms: z.number(),
  maxMs: z.number(),
  avgMs: z.number(),
});
export type FunctionTiming = z.output<typeof FunctionTiming>;

export const QueueDepth = z.strictObject({
  queued: count,
  processing: count,
  waitingForRetry: count.describe('Queued again after a failure, waiting for their retry time'),
});
export type QueueDepth = z.output<typeof QueueDepth>;

export const OverviewView = z
  .strictObject({
    range: OverviewRangeSchema,
    since: instant.describe('Start of the first bucket'),
    bucketSeconds: count,
    buckets: z.array(OverviewBucket),
    totals: z.strictObject({ messages: count, byStatus: z.record(status, count) }),
    failureRate: z.number().describe('(failed + dead) / (processed + no_function + failed + dead) over the range; 0 when none finished'),
    queue: QueueDepth,
    slowestFunctions: z.array(FunctionTiming).describe('Up to 5 functions, slowest 95th percentile first, from the traces of the messages in the range'),
  })
  .meta({ id: 'Overview' });
export type OverviewView = z.output<typeof OverviewView>;
