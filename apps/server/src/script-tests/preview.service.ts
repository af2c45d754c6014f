import { Inject, Injectable } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import {
  checkCondition,
  locateScriptError,
  type LocatedScriptError,
  type MessageStatus,
  type MessageTrace,
  type ProviderDefinition,
  type ScriptRunner,
} from '../../../../libs/engine/src';
import type { AppConfig } from '../config';
import type { PageCursor } from '../common/cursor';
import { ValidationFailedError } from '../common/errors';
import { CONFIG, SCRIPT_RUNNER } from '../common/tokens';
import { validate } from '../common/validate';
import type { MessageEntity } from '../database/entities/message.entity';
import type { ProviderEntity } from '../database/entities/provider.entity';
import { MessagesRepository } from '../messages/messages.repository';
import { Catalog } from '../processing/catalog';
import { CredentialHeaders } from '../processing/credential-headers';
import { inboundOf, MessageProcessor, type Identification } from '../processing/message-processor';
import { orderProblem } from '../providers/provider-versions';
import { ProvidersRepository } from '../providers/providers.repository';
import type { Named, PreviewItem, PreviewView } from './preview-view';
import { DEFAULT_PREVIEW_LIMIT, PreviewInput } from './script-test-input';

/** Messages read from the database at a time: their bodies are held only while they are replayed. */
const PAGE_SIZE = 25;

/**
 * Statuses after which the stored trace says which functions a message went to. For the others
 * (a duplicate, a message still queued) the functions are not compared.
 */
const ROUTED: ReadonlySet<MessageStatus> = new Set<MessageStatus>(['processed', 'failed', 'no_function', 'dead', 'no_provider', 'unauthorized']);

/**
 * Replays the last stored messages through a draft provider order and draft match scripts:
 * matching, verification and function conditions run as on the message path; function bodies
 * do not run at all. Nothing is saved.
 */
@Injectable()
export class PreviewService {
  constructor(
    private readonly providers: ProvidersRepository,
    private readonly messages: MessagesRepository,
    private readonly catalog: Catalog,
    private readonly processor: MessageProcessor,
    private readonly credentials: CredentialHeaders,
    @Inject(SCRIPT_RUNNER) private readonly scripts: ScriptRunner,
    @Inject(CONFIG) private readonly config: AppConfig,
  ) {}

  async preview(body: unknown): Promise<PreviewView> {
    const input = validate(PreviewInput, body);
    const rows = await this.providers.list();
    this.check(input, rows);
    const started = performance.now();
    const drafts = this.draftProviders(input, rows);
    const items: PreviewItem[] = [];
    let before: PageCursor | undefined;
    for (let left = input.limit ?? DEFAULT_PREVIEW_LIMIT; left > 0; ) {
      const page = await this.messages.latestWebhooks(Math.min(PAGE_SIZE, left), before);
      // One after another: a preview shares the sandbox with live traffic and must not crowd it out.
      for (const message of page) items.push(await this.replay(message, drafts));
      const last = page.at(-1);
      if (last === undefined || page.length < Math.min(PAGE_SIZE, left)) break;
      left -= page.length;
      before = { receivedAt: last.receivedAt, id: last.id };
    }
    return {
      limit: input.limit ?? DEFAULT_PREVIEW_LIMIT,
      counts: { messages: items.length, changed: items.filter((item) => item.changed).length },
      durationMs: Math.round(performance.now() - started),
      order: drafts.map((p) => ({ id: p.id, name: p.name })),
      scriptErrors: await this.scriptErrors(input),
      items,
    };
  }

  private check(input: PreviewInput, rows: ProviderEntity[]): void {
    const fields: Record<string, string> = {};
    const known = rows.map((row) => row.id);
    const problem = input.order && orderProblem(input.order, rows);
    if (problem) fields.order = problem;
    for (const id of Object.keys(input.providers ?? {})) {
      if (!known.includes(id)) fields[`providers.${id}`] = 'names no provider';
    }
    if (Object.keys(fields).length > 0) throw new ValidationFailedError(fields);
  }

  /** The enabled providers as the draft has them, in the draft's order. */
  private draftProviders(input: PreviewInput, rows: ProviderEntity[]): ProviderDefinition[] {
    return rows
      .filter((row) => input.providers?.[row.id]?.enabled ?? row.enabled)
      .map((row) => {
        const definition = this.catalog.toDefinition(row);
        const matchScript = input.providers?.[row.id]?.matchScript ?? definition.matchScript;
        return { ...definition, matchScript, priority: input.order ? input.order.indexOf(row.id) : definition.priority };
      })
      .sort((a, b) => a.priority - b.priority || a.name.localeCompare(b.name));
  }

  private async replay(message: MessageEntity, drafts: ProviderDefinition[]): Promise<PreviewItem> {
    // Stored messages are replays: verified with their credential headers as sent, a stale signature overridden.
    const found = await this.processor.identify(inboundOf(message), {
      signedHeaders: this.credentials.restore(message),
      isReplay: true,
      trace: { providers: [], functions: [] },
      providers: drafts,
    });
    const draft: PreviewItem['draft'] = {
      status: found.status,
      providerId: found.provider?.id ?? null,
      providerName: found.provider?.name ?? null,
      functions: await this.routedFunctions(message, found),
    };
    const errors = found.trace.providers.flatMap((e) => (e.error ? [{ id: e.providerId, name: e.providerName, error: locateScriptError(e.error) }] : []));
    if (errors.length > 0) draft.errors = errors;
    const actual: PreviewItem['actual'] = {
      status: message.status,
      providerId: message.providerId,
      providerName: message.providerName,
      functions: functionsRun(message.trace),
    };
    const changes: PreviewItem['changes'] = [];
    if (draft.providerId !== actual.providerId) changes.push('provider');
    if (ROUTED.has(actual.status) && !sameIds(draft.functions, actual.functions)) changes.push('functions');
    return {
      messageId: message.id,
      receivedAt: message.receivedAt.toISOString(),
      method: message.method,
      uri: message.uri,
      eventType: message.eventType,
      actual,
      draft,
      changed: changes.length > 0,
      changes,
    };
  }

  /** The enabled functions on the message's uri whose condition holds; their bodies never run. */
  private async routedFunctions(message: MessageEntity, found: Identification): Promise<Named[]> {
    const provider = found.provider;
    // A sender's endpoint check is answered by the engine; functions never see it.
    if (found.status !== 'accepted' || provider === null || found.handshake) return [];
    const routed: Named[] = [];
    for (const { row, definition } of await this.catalog.runnableFunctions(provider.id, message.uri)) {
      const condition = await checkCondition(this.scripts, definition, {
        request: found.request,
        provider: { name: provider.name, properties: provider.properties, secrets: provider.secrets },
        eventType: found.eventType,
        event: found.event,
        conditionTimeoutMs: this.config.matchTimeoutMs,
      });
      if (condition === undefined || condition.value) routed.push({ id: row.id, name: row.name });
    }
    return routed;
  }

  /** Draft match scripts that do not compile, by provider id. */
  private async scriptErrors(input: PreviewInput): Promise<Record<string, LocatedScriptError>> {
    const errors: Record<string, LocatedScriptError> = {};
    for (const [id, draft] of Object.entries(input.providers ?? {})) {
      const problem = draft.matchScript === undefined ? null : await this.scripts.checkSyntax('match', draft.matchScript);
      if (problem) errors[id] = locateScriptError({ kind: 'compile', message: problem });
    }
    return errors;
  }
}

/** The functions whose script ran for the message, in any attempt, each once. */
function functionsRun(trace: MessageTrace): Named[] {
  const seen = new Map<string, Named>();
  for (const record of trace.functions ?? []) {
    if (record.status !== 'skipped') seen.set(record.functionId, { id: record.functionId, name: record.functionName });
  }
  return [...seen.values()];
}

function sameIds(a: Named[], b: Named[]): boolean {
  const ids = new Set(a.map((fn) => fn.id));
  return a.length === b.length && b.every((fn) => ids.has(fn.id));
}
