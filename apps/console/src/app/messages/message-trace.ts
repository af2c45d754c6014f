import { JsonPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { RouterLink } from '@angular/router';
import type { AnswerRecord, FunctionRunRecord, MessageDetail } from './message-types';

/**
 * How a message was processed, in the order it happened: each provider asked, the
 * verification, each function with its condition, logs and result, the answer and who made
 * it, the automation runs it started and the parked tasks its event resumed.
 */
@Component({
  selector: 'hl-message-trace',
  imports: [JsonPipe, RouterLink],
  template: `
    @let t = message().trace;
    <ol class="timeline">
      <li class="step">
        <h3>Received</h3>
        <p>{{ message().receivedAt }}{{ message().sourceAddress ? ' from ' + message().sourceAddress : '' }}
          @if (message().triggeredBy === 'resubmit') { · resubmitted by an admin }</p>
        @if (t.edited; as edited) {
          <p class="edited"><strong>Edited before resubmitting:</strong>
            @if (edited.headersAdded.length) { headers added {{ edited.headersAdded.join(', ') }}; }
            @if (edited.headersChanged.length) { headers changed {{ edited.headersChanged.join(', ') }}; }
            @if (edited.headersRemoved.length) { headers removed {{ edited.headersRemoved.join(', ') }}; }
            {{ edited.bodyChanged ? 'body changed' : 'body unchanged' }}
          </p>
        }
        @for (note of t.notes ?? []; track $index) { <p class="muted">Note: {{ note }}</p> }
        @if (t.duplicateOf; as first) { <p>Delivered before as <a [routerLink]="['/messages', first]">{{ first }}</a>: not processed again.</p> }
      </li>

      <li class="step">
        <h3>Providers</h3>
        @if (t.providers.length === 0) { <p class="muted">No provider was asked.</p> }
        <ul class="entries">
          @for (p of t.providers; track p.providerId) {
            <li [class.matched]="p.matched" [attr.aria-label]="'Provider ' + p.providerName">
              <span class="name">{{ p.providerName }}</span>
              <span class="verdict" [class.good]="p.matched">{{ p.matched ? 'matched' : p.error ? 'error' : 'no match' }}</span>
              <span class="muted">priority {{ p.priority }} · {{ ms(p.durationMs) }}</span>
              @if (p.retriedAfterTimeout) { <span class="muted"> · timed out once, asked again with a larger limit</span> }
              @if (p.error; as e) { <pre class="error"><strong>{{ e.kind }}</strong> {{ e.stack ?? e.message }}</pre> }
            </li>
          }
        </ul>
      </li>

      @if (t.verification; as v) {
        <li class="step">
          <h3>Verification</h3>
          <p>
            <span class="verdict" [class.good]="v.ok" [class.bad]="!v.ok">{{ v.ok ? 'verified' : 'failed' }}</span>
            scheme <code>{{ v.scheme }}</code>
            @if (v.matchedSecret) { · matched the {{ v.matchedSecret }} secret }
            @if (v.reason) { · {{ v.reason }} }
            @if (v.overridden) { · recorded, not enforced (resubmitted by an admin) }
          </p>
        </li>
      }

      <li class="step">
        <h3>Functions</h3>
        @if (t.functions.length === 0) { <p class="muted">No function ran.</p> }
        <ul class="entries">
          @for (f of t.functions; track $index) {
            <li [attr.aria-label]="'Function ' + f.functionName">
              <div>
                <a class="name" [routerLink]="['/functions', f.functionId]">{{ f.functionName }}</a>
                <span class="verdict" [class.good]="f.status === 'succeeded'" [class.bad]="f.status === 'failed' || f.status === 'timed_out'">{{ statusText(f) }}</span>
                <span class="muted">{{ ms(f.durationMs) }}{{ f.attempt && f.attempt > 1 ? ' · attempt ' + f.attempt : '' }}</span>
                @if (f.responded) { <span class="badge">answered the sender</span> }
              </div>
              @if (f.condition; as c) {
                <p>Condition <code>{{ c.expression }}</code> was <strong>{{ c.value }}</strong>{{ c.error ? ': ' + c.error.message : '' }}</p>
              }
              @if (f.logs.length) {
                <details open>
                  <summary>Logs ({{ f.logs.length }})</summary>
                  <ol class="logs">
                    @for (log of f.logs; track $index) { <li [class]="'log-' + log.level"><span class="muted">{{ log.at }}</span> {{ log.level }} {{ log.message }}</li> }
                  </ol>
                </details>
              }
              @if (f.result !== undefined) {
                <details>
                  <summary>Result</summary>
                  <pre>{{ f.result | json }}</pre>
                </details>
              }
              @if (f.error; as e) { <pre class="error"><strong>{{ e.kind }}</strong> {{ e.stack ?? e.message }}</pre> }
            </li>
          }
        </ul>
        @if (t.retries) { <p class="muted">Retried {{ t.retries }} {{ t.retries === 1 ? 'time' : 'times' }} after functions failed.</p> }
        @if (t.interruptedAttempts) { <p class="muted">{{ t.interruptedAttempts }} processing {{ t.interruptedAttempts === 1 ? 'attempt was' : 'attempts were' }} interrupted (a crash or a lost lease).</p> }
      </li>

      <li class="step">
        <h3>Answer</h3>
        @if (t.answer; as a) {
          <p>
            <strong>{{ a.status }}</strong>
            @if (a.by === 'function') {
              decided by the function {{ responder() ?? a.functionId }} (respond())
            } @else {
              decided by the engine
            }
            · {{ a.at }}
          </p>
          @if (a.mode) {
            <p data-testid="answer-mode">
              Answer mode <strong>{{ a.mode }}</strong>, {{ modeSourceText(a) }}@if (a.fixed) {; the provider's fixed answer was sent}@if (a.respondTimeoutMs !== undefined) {; no respond() came within {{ a.respondTimeoutMs }} ms}.
            </p>
          }
          @if (a.error) { <p class="error">{{ a.error }}</p> }
          @if (a.headers && headerCount(a.headers)) {
            <details>
              <summary>Headers sent</summary>
              <pre>{{ headerText(a.headers) }}</pre>
            </details>
          }
        } @else {
          <p class="muted">{{ message().sync ? 'No answer recorded yet.' : 'Answered 202 when queued.' }}</p>
        }
      </li>

      @if (t.resumedTasks?.length) {
        <li class="step">
          <h3>Parked tasks resumed</h3>
          <ul class="entries">
            @for (task of t.resumedTasks; track task.taskId) {
              <li [attr.aria-label]="'Resumed task ' + task.name">resumed task {{ task.name }} ({{ task.taskId }})</li>
            }
          </ul>
        </li>
      }

      @if (t.automations?.length) {
        <li class="step">
          <h3>Automation runs started</h3>
          <ul class="entries">
            @for (run of t.automations; track $index) {
              <li [attr.aria-label]="'Automation run ' + (run.automationName ?? run.automationId)">
                <a class="name" [routerLink]="['/automations', run.automationId]">{{ run.automationName ?? run.automationId }}</a>
                <span class="verdict" [class.bad]="run.status === 'failed'">{{ run.status }}</span>
                @if (run.runId) { <span class="muted"> run <a [routerLink]="['/runs', run.runId]">{{ run.runId }}</a></span> }
                @if (run.error) { <span class="error"> {{ run.error }}</span> }
              </li>
            }
          </ul>
        </li>
      }
    </ol>
  `,
  styles: `
    .timeline { list-style: none; margin: 0; padding: 0 0 0 1rem; border-left: 2px solid var(--border); }
    .step { position: relative; padding: 0 0 0.8rem 0.6rem; }
    .step::before { content: ''; position: absolute; left: -1.45rem; top: 0.35rem; width: 0.7rem; height: 0.7rem; border-radius: 50%; background: var(--accent); }
    h3 { margin: 0 0 0.3rem; font-size: 1rem; }
    p { margin: 0.2rem 0; }
    .entries { list-style: none; margin: 0; padding: 0; display: grid; gap: 0.4rem; }
    .entries > li { border: 1px solid var(--border); border-radius: 6px; padding: 0.4rem 0.6rem; background: var(--surface); }
    .entries > li.matched { border-color: var(--ok); }
    .name { font-weight: 600; margin-right: 0.5rem; }
    .verdict { font-weight: 600; margin-right: 0.5rem; }
    .verdict.good { color: var(--ok); }
    .verdict.bad, .error { color: var(--danger); }
    pre { margin: 0.3rem 0 0; padding: 0.4rem; background: var(--code-bg); border-radius: 4px; overflow: auto; max-height: 20rem; white-space: pre-wrap; word-break: break-word; }
    .logs { list-style: none; margin: 0.3rem 0 0; padding: 0.4rem; background: var(--code-bg); border-radius: 4px; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.85rem; white-space: pre-wrap; word-break: break-word; }
    .log-warn { color: #b54708; }
    .log-error { color: var(--danger); }
    .edited { background: var(--accent-soft); padding: 0.2rem 0.4rem; border-radius: 4px; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MessageTrace {
  readonly message = input.required<MessageDetail>();
  /** The name of the function whose respond() made the answer. */
  protected readonly responder = computed(() => {
    const answer = this.message().trace.answer;
    return this.message().trace.functions.find((f) => f.functionId === answer?.functionId)?.functionName;
  });

  /** What set the answer mode, in words. */
  protected modeSourceText(answer: AnswerRecord): string {
    switch (answer.modeSource) {
      case 'header':
        return 'forced by the flex-sync-webhook header';
      case 'query':
        return 'forced by the flex-sync-webhook query parameter';
      case 'function': {
        const name = this.message().trace.functions.find((f) => f.functionId === answer.modeFunctionId)?.functionName;
        return `set by the function ${name ?? answer.modeFunctionId}`;
      }
      case 'provider':
      case undefined:
        return "the provider's";
    }
  }

  protected ms(value: number): string {
    return value < 10 ? `${value.toFixed(1)} ms` : `${Math.round(value)} ms`;
  }

  protected statusText(run: FunctionRunRecord): string {
    switch (run.status) {
      case 'succeeded':
        return 'succeeded';
      case 'failed':
        return 'failed';
      case 'timed_out':
        return 'timed out';
      case 'skipped':
        return 'skipped';
    }
  }

  protected headerText(record: Record<string, string>): string {
    return Object.entries(record).map(([name, value]) => `${name}: ${value}`).join('\n');
  }

  protected headerCount(record: Record<string, string>): number {
    return Object.keys(record).length;
  }
}
