/**
 * The answer of GET /api/overview. Types only, importing nothing but the engine's message types:
 * the console imports this file too, so the contract is written once.
 */
import type { MessageStatus } from '../../../../libs/engine/src/message';

export type OverviewRange = '1h' | '24h';

export interface OverviewBucket {
  /** The bucket's first instant (ISO 8601); buckets are `bucketSeconds` wide. */
  start: string;
  total: number;
  /** Messages received in the bucket by their status now; statuses with none are left out. */
  byStatus: Partial<Record<MessageStatus, number>>;
}

export interface FunctionTiming {
  functionId: string;
  functionName: string;
  runs: number;
  failures: number;
  p95Ms: number;
  maxMs: number;
  avgMs: number;
}

export interface QueueDepth {
  queued: number;
  processing: number;
  /** Queued again after a failure, waiting for their retry time. */
  waitingForRetry: number;
}

export interface OverviewView {
  range: OverviewRange;
  since: string;
  bucketSeconds: number;
  buckets: OverviewBucket[];
  totals: { messages: number; byStatus: Record<MessageStatus, number> };
  /** Of the messages finished in the range, the share that failed or are dead, 0 to 1. */
  failureRate: number;
  queue: QueueDepth;
  slowestFunctions: FunctionTiming[];
}
