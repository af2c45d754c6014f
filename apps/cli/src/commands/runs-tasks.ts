import { parseCommand, positiveInteger, query, SERVER_OPTIONS } from '../args';
import { CliError } from '../cli-error';
import { createOutput, writePage } from '../output';
import { connect } from '../server-client';

const RUN_COLUMNS = ['id', 'createdAt', 'status', 'automationName', 'trigger', 'statusReason'];
const TASK_COLUMNS = ['id', 'name', 'status', 'createdAt'];

/** `hookline runs [list] [--status] [--automation]`, `hookline runs retry <id...> | --status failed`. */
export async function runsCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommand('runs', argv, {
    ...SERVER_OPTIONS,
    status: { type: 'string' },
    automation: { type: 'string' },
    since: { type: 'string' },
    until: { type: 'string' },
    limit: { type: 'string' },
    cursor: { type: 'string' },
    'dry-run': { type: 'boolean' },
  });
  const [action = 'list', ...ids] = positionals;
  const out = createOutput(values.json === true);
  const client = connect(values.url);
  let automationId: string | undefined;
  if (values.automation !== undefined) {
    const automations = await client.get<Array<{ id: string; name: string }>>('/api/automations');
    const found = automations.filter((automation) => automation.name === values.automation || automation.id === values.automation);
    if (found.length !== 1) throw new CliError(found.length === 0 ? `no automation named "${values.automation}"` : `${found.length} automations are named "${values.automation}"; give its id`);
    automationId = found[0].id;
  }
  const filter = { status: values.status, automationId, since: values.since, until: values.until };
  if (action === 'list') {
    if (ids.length > 0) throw new CliError('hookline runs list takes filters, not ids');
    const page = await client.get<{ items: Array<Record<string, unknown>>; nextCursor: string | null }>(
      `/api/runs${query({ ...filter, limit: positiveInteger('limit', values.limit), cursor: values.cursor })}`,
    );
    writePage(out, page, RUN_COLUMNS);
    return;
  }
  if (action !== 'retry') throw new CliError(`hookline runs takes list or retry, not "${action}"`);
  const selection = Object.fromEntries(Object.entries({ ...filter, ...(ids.length > 0 ? { ids } : {}), limit: positiveInteger('limit', values.limit) }).filter(([, value]) => value !== undefined));
  if (Object.keys(selection).length === 0) throw new CliError('name run ids or a filter: hookline runs retry <id> or --status dead');
  const result = await client.post<{ count: number; retried?: string[]; matching?: number }>('/api/runs/retry', { ...selection, ...(values['dry-run'] ? { dryRun: true } : {}) });
  out.write(result, () => [values['dry-run'] ? `${result.matching} runs match; ${result.count} would be retried` : `Retried ${result.count} runs`]);
}

/** `hookline tasks [list] [--state parked]`, `hookline tasks resume <id> [--message text]`. */
export async function tasksCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommand('tasks', argv, { ...SERVER_OPTIONS, state: { type: 'string' }, limit: { type: 'string' }, message: { type: 'string' } });
  const [action = 'list', ...ids] = positionals;
  const out = createOutput(values.json === true);
  const client = connect(values.url);
  if (action === 'list') {
    const tasks = await client.get<Array<Record<string, unknown>>>(`/api/tasks${query({ state: values.state, limit: positiveInteger('limit', values.limit) })}`);
    out.table(tasks, TASK_COLUMNS);
    return;
  }
  if (action !== 'resume') throw new CliError(`hookline tasks takes list or resume, not "${action}"`);
  if (ids.length !== 1) throw new CliError('name the task to resume: hookline tasks resume <id>');
  const task = await client.post<Record<string, unknown>>(`/api/tasks/${encodeURIComponent(ids[0])}/resume`, values.message === undefined ? {} : { message: values.message });
  out.write(task, () => [`Resumed task ${ids[0]}: ${String(task.status)}`]);
}
