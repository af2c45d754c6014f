import { parseCommand, positiveInteger, query, SERVER_OPTIONS } from '../args';
import { CliError } from '../cli-error';
import { createOutput, writePage } from '../output';
import { connect, type ServerClient } from '../server-client';

export const MESSAGE_FILTERS = {
  status: { type: 'string' },
  provider: { type: 'string' },
  uri: { type: 'string' },
  'uri-prefix': { type: 'string' },
  'event-type': { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  q: { type: 'string' },
} as const;

const COLUMNS = ['id', 'receivedAt', 'status', 'method', 'uri', 'providerName', 'eventType'];

type FilterValues = Partial<Record<keyof typeof MESSAGE_FILTERS, string>>;

/** The API's filter fields from the options; `--provider` takes a name or an id. */
export async function messageFilter(client: ServerClient, values: FilterValues): Promise<Record<string, string | undefined>> {
  return {
    status: values.status,
    providerId: values.provider === undefined ? undefined : await providerId(client, values.provider),
    uri: values.uri,
    uriPrefix: values['uri-prefix'],
    eventType: values['event-type'],
    since: values.since,
    until: values.until,
    q: values.q,
  };
}

async function providerId(client: ServerClient, nameOrId: string): Promise<string> {
  const providers = await client.get<Array<{ id: string; name: string }>>('/api/providers');
  const found = providers.find((provider) => provider.name === nameOrId || provider.id === nameOrId);
  if (!found) throw new CliError(`no provider named "${nameOrId}"; the providers are ${providers.map((provider) => provider.name).join(', ') || 'none'}`);
  return found.id;
}

/** `hookline messages [list|tail] [filters]`. */
export async function messagesCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommand('messages', argv, { ...SERVER_OPTIONS, ...MESSAGE_FILTERS, limit: { type: 'string' }, cursor: { type: 'string' } });
  const action = positionals[0] ?? 'list';
  if (positionals.length > 1 || (action !== 'list' && action !== 'tail')) throw new CliError(`hookline messages takes list or tail, not "${positionals.join(' ')}"`);
  const out = createOutput(values.json === true);
  const client = connect(values.url);
  const filter = await messageFilter(client, values);
  if (action === 'list') {
    const page = await client.get<{ items: Array<Record<string, unknown>>; nextCursor: string | null }>(
      `/api/messages${query({ ...filter, limit: positiveInteger('limit', values.limit), cursor: values.cursor })}`,
    );
    writePage(out, page, COLUMNS);
    return;
  }
  await tail(client, filter, out);
}

/** Follows the live stream: a row per new message and per status change, until interrupted. */
async function tail(client: ServerClient, filter: Record<string, string | undefined>, out: ReturnType<typeof createOutput>): Promise<void> {
  const response = await client.fetch(`/api/messages/stream${query(filter)}`, { headers: { accept: 'text/event-stream' } });
  if (!response.ok || !response.body) {
    const text = await response.text();
    let message = text;
    try {
      message = (JSON.parse(text) as { message?: string }).message ?? text;
    } catch {
      // Not JSON: keep the text.
    }
    throw new CliError(`the message stream answered ${response.status}: ${message}`);
  }
  if (!out.json) out.table([], COLUMNS.concat('change'));
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = frame
        .split('\n')
        .filter((line) => line.startsWith('data:'))
        .map((line) => line.slice(5).trimStart())
        .join('\n');
      if (!data) continue;
      const event = JSON.parse(data) as { change: string; message: Record<string, unknown> };
      out.table([{ ...event.message, change: event.change }], COLUMNS.concat('change'), { stream: true, header: false });
    }
  }
}
