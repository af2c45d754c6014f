import { Injectable } from '@nestjs/common';
import { MESSAGE_STATUSES, type MessageStatus } from '../../../../libs/engine/src';
import { ValidationFailedError } from '../common/errors';
import { OverviewRepository } from './overview.repository';
import type { OverviewBucket, OverviewRange, OverviewView } from './overview-view';

export const OVERVIEW_RANGES: Record<OverviewRange, { ms: number; bucketSeconds: number }> = {
  '1h': { ms: 3_600_000, bucketSeconds: 60 },
  '24h': { ms: 24 * 3_600_000, bucketSeconds: 15 * 60 },
};

/** Statuses that end processing with the functions having run, and the ones of those that failed. */
const FINISHED: readonly MessageStatus[] = ['processed', 'no_function', 'failed', 'dead'];
const FAILED: readonly MessageStatus[] = ['failed', 'dead'];
const SLOWEST = 5;

type StatusCounts = Record<MessageStatus, number>;

@Injectable()
export class OverviewService {
  constructor(private readonly overview: OverviewRepository) {}

  async get(range: string | undefined): Promise<OverviewView> {
    const name = (range ?? '1h') as OverviewRange;
    if (!Object.hasOwn(OVERVIEW_RANGES, name)) throw new ValidationFailedError({ range: `must be one of ${Object.keys(OVERVIEW_RANGES).join(', ')}` });
    const { ms, bucketSeconds } = OVERVIEW_RANGES[name];
    const now = Date.now();
    // The first bucket is the one holding `since`, so the chart always shows whole buckets.
    const since = new Date(Math.floor((now - ms) / 1000 / bucketSeconds) * bucketSeconds * 1000);
    const [counts, slowestFunctions, queue] = await Promise.all([
      this.overview.countsByBucket(since, bucketSeconds),
      this.overview.slowestFunctions(since, SLOWEST),
      this.overview.queueDepth(),
    ]);

    const buckets: OverviewBucket[] = [];
    const byStart = new Map<number, (typeof buckets)[number]>();
    for (let start = since.getTime(); start <= now; start += bucketSeconds * 1000) {
      const bucket = { start: new Date(start).toISOString(), total: 0, byStatus: {} };
      buckets.push(bucket);
      byStart.set(start, bucket);
    }
    const totals = Object.fromEntries(MESSAGE_STATUSES.map((status) => [status, 0])) as StatusCounts;
    for (const { bucket, status, count } of counts) {
      const slot = byStart.get(bucket.getTime());
      if (slot) {
        slot.byStatus[status] = (slot.byStatus[status] ?? 0) + count;
        slot.total += count;
      }
      totals[status] += count;
    }
    const finished = FINISHED.reduce((sum, status) => sum + totals[status], 0);
    const failed = FAILED.reduce((sum, status) => sum + totals[status], 0);
    return {
      range: name,
      since: since.toISOString(),
      bucketSeconds,
      buckets,
      totals: { messages: Object.values(totals).reduce((a, b) => a + b, 0), byStatus: totals },
      failureRate: finished === 0 ? 0 : Math.round((failed / finished) * 10_000) / 10_000,
      queue,
      slowestFunctions,
    };
  }
}
