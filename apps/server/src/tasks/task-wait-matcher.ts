import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { candidatePatterns, matchesWaitPins, payloadOf, repositoryPin, toScriptRequest, type ScriptRequest, type ScriptRunner, type WaitedEvent } from '../../../../libs/engine/src';
import type { AppConfig } from '../config';
import { CONFIG, SCRIPT_RUNNER } from '../common/tokens';
import { MessageEntity } from '../database/entities/message.entity';
import { EventLogRepository, EventSequencer, type LoggedEvent } from '../events/event-log';
import { inboundOf } from '../processing/message-processor';
import { taskResumedRow } from './task-view';
import { TasksRepository, type StoredWait } from './tasks.repository';

/**
 * Resumes parked tasks on the events they wait for. It runs inside the event log's numbering
 * transaction (EventSequencer.onSequenced): each event is numbered, and so matched, by exactly one
 * server, and a resume commits with the numbers or not at all. The UPDATE that resumes checks the
 * status again, so an operator or a deadline racing with an event still resumes a task once.
 */
@Injectable()
export class TaskWaitMatcher implements OnModuleInit {
  private readonly logger = new Logger('TaskWaits');

  constructor(
    private readonly sequencer: EventSequencer,
    private readonly tasks: TasksRepository,
    private readonly eventLog: EventLogRepository,
    @Inject(SCRIPT_RUNNER) private readonly scripts: ScriptRunner,
    @Inject(CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.sequencer.onSequenced((tx, events) => this.match(tx, events));
  }

  /** One lookup per numbered batch: the waits whose key pattern and repository can match any of its events. */
  async match(tx: EntityManager, events: LoggedEvent[]): Promise<void> {
    const candidates = events.filter((e) => e.kind === 'pluginWebhook' && e.key !== null);
    if (candidates.length === 0) return;
    const patterns = new Set(candidates.flatMap((e) => candidatePatterns(e.key!)));
    const repositories = new Set(candidates.flatMap((e) => (e.repository ? [repositoryPin(e.repository)] : [])));
    const waits = await this.tasks.findWaits([...patterns], [...repositories], tx);
    if (waits.length === 0) return;
    const byTask = new Map<string, StoredWait[]>();
    for (const wait of waits) byTask.set(wait.taskId, [...(byTask.get(wait.taskId) ?? []), wait]);
    const payloads = new Map<string, Promise<EventPayload>>();
    const payloadOfEvent = (event: LoggedEvent) => {
      const key = event.messageId ?? `seq:${event.seq}`;
      if (!payloads.has(key)) payloads.set(key, this.payload(tx, event));
      return payloads.get(key)!;
    };
    for (const event of candidates) {
      const fields = waitedEvent(event);
      for (const [taskId, taskWaits] of byTask) {
        const scope = taskWaits[0].providerIds;
        // A scoped runner's task hears only its providers' events.
        if (scope && (event.providerId === null || !scope.includes(event.providerId))) continue;
        let matched = false;
        for (const wait of taskWaits) {
          if (!matchesWaitPins(wait, fields)) continue;
          if (wait.where && !(await this.holds(wait.where, event, payloadOfEvent))) continue;
          matched = true;
          break;
        }
        if (!matched) continue;
        byTask.delete(taskId);
        const resumed = await this.tasks.resumeIfParked(
          taskId,
          {
            resumedBy: { messageId: event.messageId, provider: event.providerId, providerName: event.providerName, event: event.event, at: new Date().toISOString() },
            messageId: event.messageId,
            entry: { status: 'queued', cause: 'event', messageId: event.messageId, providerName: event.providerName, key: event.key!, at: new Date().toISOString() },
          },
          tx,
        );
        if (resumed) await this.eventLog.append([taskResumedRow(resumed)], tx);
      }
      if (byTask.size === 0) return;
    }
  }

  /** A `where` that throws or runs out of time counts as no match: an event must never stop the numbering. */
  private async holds(expression: string, event: LoggedEvent, payloadOfEvent: (event: LoggedEvent) => Promise<EventPayload>): Promise<boolean> {
    try {
      const { request, payload } = await payloadOfEvent(event);
      const outcome = await this.scripts.evaluateCondition({
        expression,
        timeoutMs: this.config.matchTimeoutMs,
        scope: {
          provider: { name: event.providerName ?? '', properties: {} },
          eventType: typeof event.event.type === 'string' ? event.event.type : null,
          event: event.event,
          method: request?.method ?? 'POST',
          headers: request?.headers ?? {},
          query: request?.query ?? {},
          body: request?.body ?? '',
          payload,
        },
      });
      return outcome.ok && outcome.value === true;
    } catch (err) {
      this.logger.warn(`A parked task's where expression could not be evaluated: ${err instanceof Error ? err.message : String(err)}`);
      return false;
    }
  }

  /** The message's payload, parsed as conditions see it; a poll's event has no message and a null payload. */
  private async payload(tx: EntityManager, event: LoggedEvent): Promise<EventPayload> {
    const message = event.messageId ? await tx.getRepository(MessageEntity).findOneBy({ id: event.messageId }) : null;
    if (!message) return { request: null, payload: null };
    const request = toScriptRequest(inboundOf(message));
    return { request, payload: payloadOf(request) };
  }
}

/** What a `where` reads of the message an event came from. */
interface EventPayload {
  request: ScriptRequest | null;
  payload: unknown;
}

function waitedEvent(event: LoggedEvent): WaitedEvent {
  const e = event.event;
  const pullRequest = e.pullRequest as { number?: unknown } | undefined;
  return {
    key: event.key!,
    repository: event.repository,
    branch: typeof e.branch === 'string' ? e.branch : null,
    pullRequest: typeof pullRequest?.number === 'number' ? { number: pullRequest.number } : null,
    issue: typeof e.issue === 'string' || typeof e.issue === 'number' ? e.issue : null,
  };
}
