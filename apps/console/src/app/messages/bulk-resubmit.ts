import { ChangeDetectionStrategy, Component, DestroyRef, effect, inject, input, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { type ApiError, toApiError } from '../api/api-error';
import { ErrorBanner } from '../shared/error-banner';
import type { MessageFilter } from './message-filter';
import type { ResubmitJob } from './message-types';
import { MessagesApi } from './messages-api';

/** The most one job takes (the server's limit): the oldest that many go. */
const MAX_JOB = 10_000;
const POLL_MS = 500;

type Step = { kind: 'idle' } | { kind: 'counting' } | { kind: 'confirm'; matching: number } | { kind: 'job'; job: ResubmitJob };

/**
 * Resubmits every message of the filtered list: counts them first, asks, then starts a job on
 * the server and follows its progress to the end. The job runs on without this page: leaving
 * does not stop it.
 */
@Component({
  selector: 'hl-bulk-resubmit',
  imports: [ErrorBanner, RouterLink],
  template: `
    <section class="bulk card" aria-labelledby="bulk-title">
      <h2 id="bulk-title">Resubmit the filtered messages</h2>
      @switch (step().kind) {
        @case ('idle') {
          <button type="button" (click)="count()">Count and resubmit…</button>
        }
        @case ('counting') {
          <p role="status">Counting the messages that match…</p>
        }
      }
      @if (matching(); as count) {
        <p role="status">
          <strong>{{ count.value }}</strong> {{ count.value === 1 ? 'message matches' : 'messages match' }}.
          @if (count.value > max) { The oldest {{ max }} go now; start again afterwards for the rest. }
          Each is sent through the pipeline again, oldest first, as a new message linked to it.
        </p>
        <div class="row">
          <button type="button" class="primary" (click)="start()" [disabled]="count.value === 0">Resubmit {{ count.value > max ? max : count.value }}</button>
          <button type="button" (click)="reset()">Cancel</button>
        </div>
      }
      @if (job(); as j) {
        <label for="bulk-progress">{{ j.status === 'running' ? 'Resubmitting' : 'Resubmitted' }} {{ j.done }} of {{ j.total }}</label>
        <progress id="bulk-progress" [value]="j.done" [max]="j.total || 1"></progress>
        @switch (j.status) {
          @case ('done') {
            <p role="status">Done: {{ j.done - j.failed }} resubmitted{{ j.failed ? ', ' + j.failed + ' could not go again' : '' }}. The copies appear in the list as they arrive.</p>
          }
          @case ('interrupted') {
            <p role="status" class="field-error">The server stopped before the end ({{ j.done }} of {{ j.total }}). Count again and resubmit what is left.</p>
          }
        }
        @if (j.errors.length) {
          <ul class="errors">
            @for (e of j.errors; track e.from) { <li><a [routerLink]="['/messages', e.from]">{{ e.from }}</a>: {{ e.error }}</li> }
          </ul>
        }
        @if (j.status !== 'running') { <button type="button" (click)="reset()">Close</button> }
      }
      <hl-error-banner [error]="error()" />
    </section>
  `,
  styles: `
    .bulk { margin-top: 0.8rem; }
    .bulk h2 { margin-top: 0; font-size: 1rem; }
    .row { display: flex; gap: 0.5rem; flex-wrap: wrap; }
    progress { width: 100%; height: 1rem; }
    label { display: block; }
    .errors { margin: 0.3rem 0; padding-left: 1.2rem; color: var(--danger); word-break: break-all; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class BulkResubmit {
  private readonly api = inject(MessagesApi);
  readonly filter = input.required<MessageFilter>();
  protected readonly max = MAX_JOB;
  protected readonly step = signal<Step>({ kind: 'idle' });
  protected readonly error = signal<ApiError | undefined>(undefined);
  private timer?: ReturnType<typeof setTimeout>;

  constructor() {
    // Another filter is another set of messages: start over (a running job goes on by itself).
    effect(() => {
      this.filter();
      this.reset();
    });
    inject(DestroyRef).onDestroy(() => clearTimeout(this.timer));
  }

  /** The count to confirm; an object so that a count of 0 still shows. */
  protected matching(): { value: number } | undefined {
    const step = this.step();
    return step.kind === 'confirm' ? { value: step.matching } : undefined;
  }

  protected job(): ResubmitJob | undefined {
    const step = this.step();
    return step.kind === 'job' ? step.job : undefined;
  }

  protected reset(): void {
    clearTimeout(this.timer);
    this.step.set({ kind: 'idle' });
    this.error.set(undefined);
  }

  protected async count(): Promise<void> {
    const filter = this.filter();
    this.error.set(undefined);
    this.step.set({ kind: 'counting' });
    try {
      const { matching } = await this.api.countSelection(filter);
      if (filter === this.filter()) this.step.set({ kind: 'confirm', matching });
    } catch (err) {
      this.error.set(toApiError(err));
      this.step.set({ kind: 'idle' });
    }
  }

  protected async start(): Promise<void> {
    this.error.set(undefined);
    try {
      this.follow(await this.api.startResubmitJob(this.filter()));
    } catch (err) {
      this.error.set(toApiError(err));
    }
  }

  /** Shows the job and reads it again until it has ended. */
  private follow(job: ResubmitJob): void {
    this.step.set({ kind: 'job', job });
    if (job.status !== 'running') return;
    this.timer = setTimeout(() => void this.poll(job.id), POLL_MS);
  }

  private async poll(id: string): Promise<void> {
    try {
      const job = await this.api.resubmitJob(id);
      if (this.job()?.id === id) this.follow(job);
    } catch (err) {
      this.error.set(toApiError(err));
    }
  }
}
