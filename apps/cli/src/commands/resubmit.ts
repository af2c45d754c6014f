import { setTimeout as sleep } from 'node:timers/promises';
import { parseCommand, positiveInteger, SERVER_OPTIONS } from '../args';
import { CliError } from '../cli-error';
import { createOutput } from '../output';
import { connect } from '../server-client';
import { MESSAGE_FILTERS, messageFilter } from './messages';

interface ResubmitJob {
  id: string;
  status: 'running' | 'done' | 'interrupted';
  total: number;
  done: number;
  failed: number;
}

/**
 * `hookline resubmit <id...> | [filters]`: resubmits as a background job on the server and
 * follows its progress; `--dry-run` only counts what would be resubmitted.
 */
export async function resubmitCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommand('resubmit', argv, { ...SERVER_OPTIONS, ...MESSAGE_FILTERS, limit: { type: 'string' }, 'dry-run': { type: 'boolean' } });
  const out = createOutput(values.json === true);
  const client = connect(values.url);
  const filter = Object.fromEntries(Object.entries(await messageFilter(client, values)).filter(([, value]) => value !== undefined));
  const selection = { ...filter, ...(positionals.length > 0 ? { ids: positionals } : {}), ...(values.limit ? { limit: positiveInteger('limit', values.limit) } : {}) };
  if (Object.keys(selection).length === 0) throw new CliError('name message ids or at least one filter (--status failed, --provider, --uri, --since ...); resubmitting everything is not allowed');
  if (values['dry-run']) {
    const counted = await client.post<{ matching: number; count: number }>('/api/messages/resubmit', { ...selection, dryRun: true });
    out.write(counted, () => [`${counted.matching} messages match; ${counted.count} would be resubmitted`]);
    return;
  }
  let job = await client.post<ResubmitJob>('/api/messages/resubmit-jobs', selection);
  const interactive = !out.json && process.stderr.isTTY;
  while (job.status === 'running') {
    if (interactive) process.stderr.write(`\rResubmitting: ${job.done}/${job.total}${job.failed ? ` (${job.failed} failed)` : ''}`);
    await sleep(500);
    job = await client.get<ResubmitJob>(`/api/messages/resubmit-jobs/${job.id}`);
  }
  if (interactive) process.stderr.write('\n');
  out.write(job, () => [`Resubmitted ${job.done - job.failed} of ${job.total} messages${job.failed ? `; ${job.failed} failed` : ''} (job ${job.id})`]);
  if (job.status === 'interrupted') throw new CliError(`the resubmit job ${job.id} was interrupted (its server stopped); run the command again for the rest`);
}
