import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import {
  callHttp,
  payloadOf,
  payloadPathFor,
  renderAll,
  renderCommand,
  renderTemplate,
  renderUrl,
  runCommand,
  scmPollPayload,
  storedCommandLine,
  toScriptRequest,
  type TemplateContext,
} from '../../../../libs/engine/src';
import type { AppConfig } from '../config';
import { CONFIG } from '../common/tokens';
import type { AutomationEntity } from '../database/entities/automation.entity';
import type { MessageEntity } from '../database/entities/message.entity';
import type { RunEntity } from '../database/entities/run.entity';
import { MessagesRepository } from '../messages/messages.repository';
import { inboundOf } from '../processing/message-processor';
import { PublicUrl } from '../public-url';
import { TasksRepository } from '../tasks/tasks.repository';
import { addLogFields } from '../logging/log-context';
import { traceOfMessage, traceOfRun, Tracer, type Span } from '../tracing/tracer';

/** What a finished (or handed-over) run records. */
export type RunResult =
  | {
      status: 'succeeded' | 'failed';
      statusReason?: string;
      /** False for a run refused before anything started (a bad value, say): retrying cannot change it. */
      retryable?: boolean;
      rendered: Record<string, unknown>;
      warnings: string[];
      output: Record<string, unknown>;
    }
  | { status: 'waiting'; rendered: Record<string, unknown>; warnings: string[]; output: Record<string, unknown> };

const OUTPUT_CAP_BYTES = 64 * 1024;

/** Carries out one run of an automation's target with its templates rendered. */
@Injectable()
export class RunExecutor {
  constructor(
    private readonly messages: MessagesRepository,
    private readonly tasks: TasksRepository,
    private readonly publicUrl: PublicUrl,
    private readonly tracer: Tracer,
    @Inject(CONFIG) private readonly config: AppConfig,
  ) {}

  /** Runs the target inside a span of the message's trace (or the run's own, without a message). */
  async execute(run: RunEntity, automation: AutomationEntity): Promise<RunResult> {
    const message = run.messageId ? await this.messages.findById(run.messageId) : null;
    const position = message ? traceOfMessage(message) : traceOfRun(run.id);
    addLogFields({ traceId: position.traceId, ...(message?.providerId && { providerId: message.providerId }) });
    const span = this.tracer.start(
      `automation ${automation.name}`,
      'internal',
      // A run without a message is the root of its own trace.
      message ? { traceId: position.traceId, parentSpanId: position.spanId, flags: position.flags } : position,
      { 'hookline.run.id': run.id, 'hookline.automation.id': automation.id, 'hookline.target': automation.target.kind, 'hookline.trigger': run.trigger },
    );
    try {
      const result = await this.executeTarget(run, automation, message, span);
      span.end({ attributes: { 'hookline.status': result.status }, ...(result.status === 'failed' && { error: result.statusReason ?? 'failed' }) });
      return result;
    } catch (err) {
      span.end({ error: err instanceof Error ? err.message : String(err) });
      throw err;
    }
  }

  private async executeTarget(run: RunEntity, automation: AutomationEntity, message: MessageEntity | null, span: Span): Promise<RunResult> {
    const payload = message ? payloadFrom(message) : null;
    // A poll-triggered run has no message: its payload is what the poll saw, with the environment.
    const polled = run.scmPoll ? scmPollPayload(run.scmPoll) : null;
    const context = (payloadPath: string | null): TemplateContext => ({
      webhook: { payload, payloadPath },
      event: (message?.event as Record<string, unknown> | null) ?? null,
      message: { id: run.messageId },
      vars: run.vars,
      scmPoll: run.scmPoll,
    });
    const target = automation.target;
    switch (target.kind) {
      case 'command': {
        const runDir = join(this.config.dataDir, 'runs', run.id);
        const prepared = storedCommandLine(target);
        if (!prepared.ok) return refused(prepared.error, []);
        // Without a shell each value lands inside one argument; with one, it is a quoted word.
        const command = renderCommand(prepared.line, context(payloadPathFor(runDir)));
        if (!command.ok) return refused(command.error, command.warnings);
        const result = await runCommand({
          argv: command.argv,
          runDir,
          payloadJson: JSON.stringify(payload ?? polled),
          // Values, never code: each is one variable, whatever characters a branch name holds.
          env: { ...polled?.env, HOOKLINE_RUN_ID: run.id, HOOKLINE_MESSAGE_ID: run.messageId ?? '' },
          timeoutMs: target.timeoutMs,
          maxOutputBytes: OUTPUT_CAP_BYTES,
        });
        const ok = result.exitCode === 0 && !result.timedOut;
        return {
          status: ok ? 'succeeded' : 'failed',
          ...(ok ? {} : { statusReason: commandFailure(result, target.timeoutMs) }),
          rendered: command.shown,
          warnings: command.warnings,
          output: { ...result },
        };
      }
      case 'http': {
        const ctx = context(message ? `${this.publicUrl.base}/api/messages/${message.id}/body` : null);
        const url = renderUrl(target.url, ctx);
        if (!url.ok) return refused(url.error, url.warnings);
        const headers = renderAll(target.headers, ctx);
        const body = target.body === null ? null : renderTemplate(target.body, ctx);
        const call = span.child(`HTTP ${target.method.toUpperCase()}`, 'client', { 'http.request.method': target.method.toUpperCase() });
        const result = await callHttp({
          method: target.method,
          url: url.value,
          headers: headers.value,
          ...(body ? { body: body.value } : {}),
          timeoutMs: target.timeoutMs,
          // One call per attempt: the run worker schedules retries durably (see automationRetryPolicy).
          retries: 0,
          backoffMs: 0,
          traceparent: call.traceparent,
        });
        call.end({ ...(result.status !== null && { attributes: { 'http.response.status_code': result.status } }), ...(!result.ok && { error: result.error ?? 'failed' }) });
        return {
          status: result.ok ? 'succeeded' : 'failed',
          ...(result.ok ? {} : { statusReason: result.error ?? `answered ${result.status}` }),
          rendered: { method: target.method, url: url.value, headers: headers.value, body: body?.value ?? null },
          warnings: [...url.warnings, ...headers.warnings, ...(body?.warnings ?? [])],
          output: { ...result },
        };
      }
      case 'task': {
        const taskId = randomUUID();
        const ctx = context(`${this.publicUrl.base}/api/tasks/${taskId}/payload`);
        const name = renderTemplate(target.name, ctx);
        const instructions = renderTemplate(target.instructions, ctx);
        const params = renderAll(target.params, ctx);
        await this.tasks.insert({
          id: taskId,
          runId: run.id,
          automationId: automation.id,
          messageId: run.messageId,
          name: name.value,
          instructions: instructions.value,
          params: params.value,
          payload: message ? null : (polled ?? (run.vars as unknown)),
          env: polled?.env ?? {},
          history: [{ status: 'queued', cause: 'automation', runId: run.id, at: new Date().toISOString() }],
        });
        return {
          status: 'waiting',
          rendered: { name: name.value, instructions: instructions.value, params: params.value },
          warnings: [...name.warnings, ...instructions.warnings, ...params.warnings],
          output: { taskId },
        };
      }
    }
  }
}

/** A run that fails before anything starts, with the reason. */
function refused(reason: string, warnings: string[]): RunResult {
  return { status: 'failed', statusReason: reason, retryable: false, rendered: {}, warnings, output: { error: reason } };
}

function commandFailure(result: { timedOut: boolean; exitCode: number | null; signal: string | null; error?: string }, timeoutMs: number): string {
  if (result.timedOut) return `timed out after ${timeoutMs} ms`;
  if (result.exitCode !== null) return `exited with code ${result.exitCode}`;
  if (result.signal) return `killed by ${result.signal}`;
  return `could not start: ${result.error ?? 'unknown error'}`;
}

/** The JSON body, else the form fields, else the body text (or null when empty). */
export function payloadFrom(message: MessageEntity): unknown {
  const request = toScriptRequest(inboundOf(message));
  return payloadOf(request) ?? (request.body === '' ? null : request.body);
}
