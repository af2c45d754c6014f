import { ChangeDetectionStrategy, Component, computed, inject, input, output, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { ApiClient } from '../api/api-client';
import { type ApiError, toApiError } from '../api/api-error';
import { ErrorBanner } from '../shared/error-banner';
import { runBusy } from '../shared/run-busy';
import type { LogEntry } from '../../../../../libs/engine/src/script-types';

/** The error of a test run, placed in the tested script (docs/scripts.md, "Testing a draft"). */
export interface TestRunError {
  kind: string;
  message: string;
  stack?: string;
  line?: number;
  column?: number;
}

/** What `POST /api/functions/:id/test` and `POST /api/providers/:id/test` answer; each fills its own part. */
export interface ScriptTestAnswer {
  request: { messageId: string | null; method: string; uri: string };
  notes?: string[];
  status?: string;
  condition?: unknown;
  result?: unknown;
  respond?: unknown;
  logs?: LogEntry[];
  error?: TestRunError;
  durationMs?: number;
  fetches?: Array<{ method: string; url: string; headers?: Record<string, string>; body?: string; refused?: string }>;
  automations?: Array<{ name?: string; id?: string; vars?: unknown }>;
  matched?: boolean;
  accepted?: boolean;
  verification?: { ok?: boolean; reason?: string; scheme?: string };
  eventType?: string | null;
  event?: unknown;
}

interface RecentMessage {
  id: string;
  receivedAt: string;
  method: string;
  uri: string;
  status: string;
  eventType: string | null;
}

type Source = 'message' | 'request';

const REQUEST_EXAMPLE = '{\n  "method": "POST",\n  "path": "/webhooks/git/push",\n  "headers": { "x-github-event": "push" },\n  "body": { "ref": "refs/heads/main" }\n}';

/**
 * Runs an unsaved draft against a stored message or a pasted request and shows what happened:
 * nothing is saved and nothing leaves the sandbox (fetches and triggers are only listed).
 */
@Component({
  selector: 'hl-script-test-panel',
  imports: [FormsModule, ErrorBanner],
  template: `
    <section class="panel" [attr.aria-labelledby]="id() + '-title'">
      <h3 [id]="id() + '-title'">Test the draft</h3>
      <p class="muted">Runs what is in the editor now, without saving it. <code>http.fetch</code> and <code>automations.trigger</code> are only listed.</p>
      <div class="choice" role="radiogroup" aria-label="Test against">
        <label><input type="radio" [name]="id() + '-source'" value="message" [ngModel]="source()" (ngModelChange)="source.set($event)" /> A stored message</label>
        <label><input type="radio" [name]="id() + '-source'" value="request" [ngModel]="source()" (ngModelChange)="source.set($event)" /> A pasted request</label>
      </div>
      @if (source() === 'message') {
        <div class="row">
          <div class="field">
            <label [for]="id() + '-recent'">Recent message</label>
            <select [id]="id() + '-recent'" [ngModel]="messageId()" (ngModelChange)="messageId.set($event)" (focus)="loadRecent()">
              <option value="">Choose one…</option>
              @for (message of recent(); track message.id) {
                <option [value]="message.id">{{ describe(message) }}</option>
              }
            </select>
          </div>
          <div class="field">
            <label [for]="id() + '-message-id'">Message id</label>
            <input [id]="id() + '-message-id'" [ngModel]="messageId()" (ngModelChange)="messageId.set($event.trim())" placeholder="paste a message id" />
          </div>
        </div>
      } @else {
        <div class="field">
          <label [for]="id() + '-request'">Request (JSON: method, path, headers, body)</label>
          <textarea [id]="id() + '-request'" rows="7" [ngModel]="pasted()" (ngModelChange)="pasted.set($event)"></textarea>
        </div>
      }
      <div class="actions">
        <button type="button" (click)="run()" [disabled]="busy()">{{ busy() ? 'Testing…' : 'Run test' }}</button>
      </div>
      <hl-error-banner [error]="error()" />
      @if (answer(); as a) {
        <div class="result" role="region" aria-live="polite" aria-label="Test result">
          <p class="summary">
            <strong>{{ headline() }}</strong>
            @if (a.durationMs !== undefined) { <span class="muted">in {{ a.durationMs }} ms</span> }
            <span class="muted">· {{ a.request.method }} /webhooks/{{ a.request.uri }}</span>
          </p>
          @for (note of a.notes ?? []; track $index) { <p class="muted">{{ note }}</p> }
          @if (a.error; as e) {
            <div class="failure" role="alert">
              <p><strong>{{ e.kind }}</strong>: {{ e.message }} @if (e.line) { <span>(line {{ e.line }}@if (e.column) {, column {{ e.column }}})</span> }</p>
              @if (e.stack) { <pre class="stack">{{ e.stack }}</pre> }
            </div>
          }
          @if (a.verification; as v) {
            <p>Signature: {{ v.ok ? 'verified' : 'not verified' }}@if (v.reason) { ({{ v.reason }}) }</p>
          }
          @if (a.eventType) { <p>Event type: <code>{{ a.eventType }}</code></p> }
          @if (a.result !== undefined) {
            <h4>Result</h4>
            <pre class="value">{{ json(a.result) }}</pre>
          }
          @if (a.respond !== undefined) {
            <h4>respond()</h4>
            <pre class="value">{{ json(a.respond) }}</pre>
          }
          <h4>Logs</h4>
          @if (a.logs?.length) {
            <ol class="logs" aria-label="Logs">
              @for (entry of a.logs; track $index) {
                <li><span class="level">{{ entry.level }}</span> {{ entry.message }}</li>
              }
            </ol>
          } @else {
            <p class="muted">No logs.</p>
          }
          @if (a.fetches?.length) {
            <h4>Fetches that would have been sent</h4>
            <ul>
              @for (fetch of a.fetches; track $index) {
                <li><code>{{ fetch.method }} {{ fetch.url }}</code>@if (fetch.refused) { <span class="danger-text"> refused: {{ fetch.refused }}</span> }</li>
              }
            </ul>
          }
          @if (a.automations?.length) {
            <h4>Automations that would have started</h4>
            <ul>
              @for (started of a.automations; track $index) {
                <li>{{ started.name ?? started.id }} <code>{{ json(started.vars) }}</code></li>
              }
            </ul>
          }
          <details>
            <summary>The whole answer</summary>
            <pre class="value">{{ json(a) }}</pre>
          </details>
        </div>
      }
    </section>
  `,
  styles: `
    .panel { border: 1px solid var(--border); border-radius: 4px; padding: 0.5rem 0.9rem 0.9rem; display: grid; gap: 0.5rem; }
    h3 { margin: 0.3rem 0 0; font-size: 1rem; }
    h4 { margin: 0.5rem 0 0.2rem; font-size: 0.85rem; }
    p { margin: 0; }
    .choice { display: flex; gap: 1rem; flex-wrap: wrap; }
    .row { display: flex; flex-wrap: wrap; gap: 1rem; }
    .row .field { flex: 1 1 14rem; }
    .field { display: grid; gap: 0.25rem; }
    textarea { font-family: var(--mono, monospace); }
    pre { margin: 0; white-space: pre-wrap; word-break: break-word; font-size: 0.8rem; }
    .stack, .value { border: 1px solid var(--border); border-radius: 3px; padding: 0.3rem 0.5rem; max-height: 16rem; overflow: auto; }
    .failure { color: var(--danger); display: grid; gap: 0.3rem; }
    .logs { margin: 0; padding-left: 1.5rem; font-family: var(--mono, monospace); font-size: 0.8rem; }
    .level { color: var(--muted); }
    .danger-text { color: var(--danger); }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ScriptTestPanel {
  private readonly api = inject(ApiClient);
  /** Prefix of the element ids, unique on the page. */
  readonly id = input.required<string>();
  /** The test route, e.g. `/functions/<id>/test`. */
  readonly path = input.required<string>();
  /** Reads the unsaved fields to test, as the test route takes them, when a test runs. */
  readonly draft = input.required<() => Record<string, unknown>>();
  /** Each run's error (null when it ran cleanly), for the editor to mark its line. */
  readonly ran = output<TestRunError | null>();

  protected readonly source = signal<Source>('message');
  protected readonly messageId = signal('');
  protected readonly pasted = signal(REQUEST_EXAMPLE);
  protected readonly recent = signal<RecentMessage[]>([]);
  protected readonly busy = signal(false);
  protected readonly error = signal<ApiError | undefined>(undefined);
  protected readonly answer = signal<ScriptTestAnswer | undefined>(undefined);
  protected readonly headline = computed(() => headlineOf(this.answer()));
  private isRecentLoaded = false;

  constructor() {
    void this.loadRecent();
  }

  protected async loadRecent(): Promise<void> {
    if (this.isRecentLoaded) return;
    this.isRecentLoaded = true;
    try {
      const page = await this.api.get<{ items: RecentMessage[] }>('/messages?limit=20');
      this.recent.set(page.items);
    } catch (err) {
      this.isRecentLoaded = false;
      this.error.set(toApiError(err));
    }
  }

  protected describe(message: RecentMessage): string {
    const at = new Date(message.receivedAt).toLocaleString();
    return `${at} · ${message.method} /webhooks/${message.uri}${message.eventType ? ` · ${message.eventType}` : ''} · ${message.status}`;
  }

  protected json(value: unknown): string {
    return JSON.stringify(value, null, 2) ?? 'undefined';
  }

  protected async run(): Promise<void> {
    this.answer.set(undefined);
    await runBusy(this.busy, this.error, async () => {
      const answer = await this.api.post<ScriptTestAnswer>(this.path(), { ...this.draft()(), ...this.subject() });
      this.answer.set(answer);
      this.ran.emit(answer.error ?? null);
    });
  }

  /** `{messageId}` or `{request}`; a pasted request that is not JSON goes as text, for the server to name. */
  private subject(): Record<string, unknown> {
    if (this.source() === 'message') return { messageId: this.messageId() };
    try {
      return { request: JSON.parse(this.pasted()) as unknown };
    } catch {
      return { request: this.pasted() };
    }
  }
}

function headlineOf(answer: ScriptTestAnswer | undefined): string {
  if (!answer) return '';
  if (answer.matched !== undefined) {
    if (!answer.matched) return answer.error ? 'The match script failed' : 'Not matched';
    return answer.accepted ? 'Matched and accepted' : 'Matched, but the signature does not hold';
  }
  switch (answer.status) {
    case 'succeeded':
      return 'Succeeded';
    case 'failed':
      return 'Failed';
    case 'skipped':
      return 'Skipped: the condition is false';
    default:
      return answer.status ?? 'Done';
  }
}
