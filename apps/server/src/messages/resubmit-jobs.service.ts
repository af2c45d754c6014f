import { Injectable, Logger } from '@nestjs/common';
import { NotFoundError } from '../common/errors';
import { isUuid } from '../common/ids';
import { parseBulkSelection } from './bulk-selection';
import { MessagesRepository } from './messages.repository';
import { MessagesService } from './messages.service';
import { ResubmitJobsRepository, type ResubmitJobRow } from './resubmit-jobs.repository';
import type { ResubmitJobView } from './message-view';

/** A job takes more messages than the answer-at-once bulk resubmit. */
const MAX_JOB = 10_000;

/**
 * Bulk resubmit as a background job: the selection is fixed when the job starts (its ids, oldest
 * first), then each message is resubmitted, queued, and the job's row counts it, so any server
 * process can report progress to the end.
 */
@Injectable()
export class ResubmitJobsService {
  private readonly logger = new Logger('ResubmitJobs');

  constructor(
    private readonly jobs: ResubmitJobsRepository,
    private readonly messages: MessagesRepository,
    private readonly resubmitter: MessagesService,
  ) {}

  async start(body: unknown): Promise<ResubmitJobView> {
    const { filter, limit } = parseBulkSelection(body, MAX_JOB);
    const ids = await this.messages.listIds(filter, limit);
    const job = await this.jobs.create({ ...(body as object) }, ids.length);
    void this.run(job.id, ids);
    return toJob(job);
  }

  async get(id: string): Promise<ResubmitJobView> {
    const job = isUuid(id) ? await this.jobs.find(id) : null;
    if (!job) throw new NotFoundError('resubmit job', id);
    return toJob(job);
  }

  private async run(jobId: string, ids: string[]): Promise<void> {
    for (const [index, from] of ids.entries()) {
      const finished = index === ids.length - 1;
      try {
        let outcome: { from: string; error?: string } = { from };
        try {
          await this.resubmitter.resubmit(from, { sync: false });
        } catch (err) {
          // One message that cannot go again (its endpoint was deleted) does not stop the rest.
          outcome = { from, error: (err as Error).message };
        }
        await this.jobs.record(jobId, outcome, finished);
      } catch (err) {
        this.logger.error(`Resubmit job ${jobId} stopped: ${(err as Error).message}`);
        return;
      }
    }
  }
}

function toJob(row: ResubmitJobRow): ResubmitJobView {
  return {
    id: row.id,
    status: row.status,
    selection: row.selection,
    total: row.total,
    done: row.done,
    failed: row.failed,
    errors: row.errors,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
    finishedAt: row.finished_at ? new Date(row.finished_at).toISOString() : null,
  };
}
