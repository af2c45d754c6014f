import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config';
import { CONFIG } from '../common/tokens';
import { NotFoundError, ValidationFailedError } from '../common/errors';
import type { MessageEntity } from '../database/entities/message.entity';
import { EndpointsService } from '../endpoints/endpoints.service';
import { CredentialHeaders } from '../processing/credential-headers';
import { inboundOf } from '../processing/message-processor';
import { Dispatcher, type Answer } from '../processing/dispatcher';
import { isUuid } from '../common/ids';
import { decodeCursor, encodeCursor } from '../common/cursor';
import { parseLimit } from '../common/list-filter';
import { MessagesRepository, type MessageSummaryRow } from './messages.repository';
import { parseFilter, type FilterQuery, type MessageFilter } from './message-filter';
import { parseBulkSelection } from './bulk-selection';
import { toSummary } from './message-summary';
import type { BulkCountView, BulkResubmitView, MessagePageView, MessageView } from './message-view';
import { applyEdits, parseResubmitInput } from './resubmit-edit';
import { TasksRepository } from '../tasks/tasks.repository';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;
const MAX_BULK = 1000;
const BODY_TEXT_LIMIT = 256 * 1024;

export type ListQuery = FilterQuery;

@Injectable()
export class MessagesService {
  constructor(
    private readonly messages: MessagesRepository,
    private readonly dispatcher: Dispatcher,
    private readonly endpoints: EndpointsService,
    private readonly credentials: CredentialHeaders,
    private readonly tasks: TasksRepository,
    @Inject(CONFIG) private readonly config: AppConfig,
  ) {}

  async list(query: ListQuery): Promise<MessagePageView> {
    const [filter, limit, cursor] = allValid(
      () => parseFilter(query),
      () => parseLimit(query.limit, DEFAULT_LIMIT, MAX_LIMIT),
      () => (query.cursor ? decodeCursor(query.cursor) : undefined),
    );
    const { rows, scanEnd } = await this.messages.list(filter, limit + 1, cursor, this.config.searchScanRows);
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const next = rows.length > limit && last ? { receivedAt: new Date(last.received_at), id: last.id } : scanEnd;
    return {
      items: page.map(toSummary),
      nextCursor: next ? encodeCursor(next) : null,
      // A search reads a bounded window of bodies per request; a short page may have more after it.
      partial: rows.length <= limit && scanEnd !== undefined,
    };
  }

  async get(id: string): Promise<MessageView> {
    const m = await this.require(id);
    const isText = isUtf8(m.body);
    return {
      ...toSummary(summaryRowOf(m)),
      path: m.path,
      query: m.query,
      headers: m.headers,
      contentType: m.contentType,
      sourceAddress: m.sourceAddress,
      attempts: m.attempts,
      event: m.event,
      body: isText ? m.body.subarray(0, BODY_TEXT_LIMIT).toString('utf8') : null,
      bodyEncoding: isText ? 'utf8' : 'binary',
      bodyTruncated: isText && m.body.length > BODY_TEXT_LIMIT,
      // Read now rather than written by the resume: processing writes the trace and could overwrite it.
      trace: await this.withResumedTasks(m),
      // Both directions of resubmission, so a client can link an original and its copies.
      resubmissions: (await this.messages.summaries(m.trace.resubmittedAs ?? [])).map(toSummary),
    };
  }

  /** The trace, with the parked tasks this message resumed when there are any. */
  private async withResumedTasks(m: MessageEntity) {
    const resumedTasks = await this.tasks.resumedByMessage(m.id);
    return resumedTasks.length > 0 ? { ...m.trace, resumedTasks } : m.trace;
  }

  async body(id: string): Promise<{ contentType: string; body: Buffer }> {
    const m = await this.require(id);
    return { contentType: m.contentType ?? 'application/octet-stream', body: m.body };
  }

  /** The same request again (or edited: `{headers?, body?}`), as a new message linked to this one. */
  async resubmit(id: string, body: unknown): Promise<Answer> {
    const input = parseResubmitInput(body);
    const original = await this.require(id);
    // As sent, credentials included: the copy is verified again and stores them sealed again.
    const stored = { ...inboundOf(original), headers: this.credentials.restore(original), receivedAt: new Date() };
    const { request, edited } = applyEdits(stored, input);
    const origin = { resubmittedFrom: original.id, ...(edited && { edited }) };
    const answer = original.endpointId
      ? await this.endpoints.redeliver(original.endpointId, request, origin)
      : await this.dispatcher.dispatch(request, { sync: input.sync === true, triggeredBy: 'resubmit', ...origin });
    await this.messages.addResubmission(original.id, answer.messageId);
    return answer;
  }

  /**
   * Resubmits every message matching the filter (or the listed ids), oldest first, queued.
   * With `dryRun: true` only counts them; `POST /api/messages/resubmit-jobs` does the same work
   * in the background with readable progress.
   */
  async resubmitMany(body: unknown): Promise<BulkResubmitView | BulkCountView> {
    const { filter, limit } = parseBulkSelection(body, MAX_BULK, ['dryRun']);
    const dryRun = (body as { dryRun?: unknown }).dryRun;
    if (dryRun !== undefined && typeof dryRun !== 'boolean') throw new ValidationFailedError({ dryRun: 'must be true or false' });
    if (dryRun) return this.countSelection(filter, limit);
    const ids = await this.messages.listIds(filter, limit);
    const resubmitted: BulkResubmitView['resubmitted'] = [];
    for (const id of ids) {
      const answer = await this.resubmit(id, { sync: false });
      resubmitted.push({ from: id, messageId: answer.messageId, status: answer.status });
    }
    return { count: resubmitted.length, resubmitted };
  }

  /** How many messages match, and how many of them one bulk resubmit of at most `limit` takes. */
  async countSelection(filter: MessageFilter, limit: number): Promise<BulkCountView> {
    const matching = await this.messages.count(filter);
    return { dryRun: true, matching, count: Math.min(matching, limit), limit };
  }

  private async require(id: string): Promise<MessageEntity> {
    const message = isUuid(id) ? await this.messages.findById(id) : null;
    if (!message) throw new NotFoundError('message', id);
    return message;
  }
}

/** Runs every parser so that one 400 names all the bad fields at once. */
function allValid<A, B, C>(a: () => A, b: () => B, c: () => C): [A, B, C] {
  const fields: Record<string, string> = {};
  const attempt = <T>(parse: () => T): T | undefined => {
    try {
      return parse();
    } catch (err) {
      if (!(err instanceof ValidationFailedError)) throw err;
      Object.assign(fields, err.fields);
      return undefined;
    }
  };
  const results = [attempt(a), attempt(b), attempt(c)] as [A, B, C];
  if (Object.keys(fields).length) throw new ValidationFailedError(fields);
  return results;
}

function summaryRowOf(m: MessageEntity): MessageSummaryRow {
  return {
    id: m.id,
    received_at: m.receivedAt,
    method: m.method,
    uri: m.uri,
    status: m.status,
    status_reason: m.statusReason,
    provider_id: m.providerId,
    provider_name: m.providerName,
    event_type: m.eventType,
    delivery_id: m.deliveryId,
    event_key: typeof m.event?.key === 'string' ? m.event.key : null,
    http_status: m.httpStatus,
    sync: m.sync,
    triggered_by: m.triggeredBy,
    resubmitted_from: m.resubmittedFrom,
    next_attempt_at: m.nextAttemptAt,
    finished_at: m.finishedAt,
    body_size: m.body.length,
  };
}

function isUtf8(body: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(body);
    return true;
  } catch {
    return false;
  }
}
