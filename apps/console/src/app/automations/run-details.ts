import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { DatePipe, JsonPipe } from '@angular/common';
import { RouterLink } from '@angular/router';
import type { Run } from './automation-types';
import { shownOutput } from './run-output';
import { scmPollOf, shortSha } from './scm-text';
import { IfRole } from '../shared/if-role';

/** One run in full: the commit a poll started it for, its error, warnings, variables, rendered target, output and earlier attempts, with a retry for a failed one. */
@Component({
  selector: 'hl-run-details',
  imports: [IfRole, DatePipe, JsonPipe, RouterLink],
  template: `
    <div class="run-body">
      @if (run().statusReason) {
        <p class="error-text"><strong>Error:</strong> {{ run().statusReason }}</p>
      }
      @if (run().warnings.length) {
        <ul class="warnings" aria-label="Warnings">
          @for (warning of run().warnings; track $index) {
            <li>{{ warning }}</li>
          }
        </ul>
      }
      <dl class="facts">
        @if (scmPollOf(run()); as scm) {
          <!-- What the poll saw, first among the facts. -->
          <div class="group" data-testid="run-commit">
            <dt>Branch</dt><dd><code>{{ scm.branch }}</code> of <code>{{ scm.repo }}</code> on {{ scm.providerName }}</dd>
            <dt>Commit</dt><dd><code [title]="scm.oldSha">{{ short(scm.oldSha) }}</code> → <code [title]="scm.newSha">{{ short(scm.newSha) }}</code></dd>
            @if (scm.commitMessage) {
              <dt>Commit message</dt><dd class="commit-message">{{ scm.commitMessage }}</dd>
            }
            @if (scm.author) {
              <dt>Author</dt><dd>{{ scm.author }}</dd>
            }
            @if (scm.commitUrl) {
              <dt>Link</dt><dd><a [href]="scm.commitUrl" target="_blank" rel="noopener noreferrer">{{ scm.commitUrl }}</a></dd>
            }
            <dt>Poll latency</dt><dd>{{ scm.latencyMs }} ms</dd>
          </div>
        }
        <dt>Attempts</dt><dd>{{ run().attempts }} (retries left {{ run().retries }})</dd>
        @if (run().finishedAt) {
          <dt>Finished</dt><dd><time [attr.datetime]="run().finishedAt">{{ run().finishedAt | date: 'medium' }}</time></dd>
        }
        @if (run().nextAttemptAt) {
          <dt>Next attempt</dt><dd><time [attr.datetime]="run().nextAttemptAt">{{ run().nextAttemptAt | date: 'medium' }}</time></dd>
        }
        @if (run().messageId) {
          <dt>Message</dt><dd><a [routerLink]="['/messages', run().messageId]">{{ run().messageId }}</a></dd>
        }
      </dl>
      @if ((run().vars | json) !== '{}') {
        <h3>Variables</h3>
        <pre class="out">{{ run().vars | json }}</pre>
      }
      @if ((run().rendered | json) !== '{}') {
        <h3>Rendered target</h3>
        <pre class="out">{{ run().rendered | json }}</pre>
      }
      @let out = shownOutput(run().output);
      @if (out.stdout !== null) {
        <h3>stdout</h3>
        <pre class="out" data-testid="run-stdout">{{ out.stdout || '(empty)' }}</pre>
      }
      @if (out.stderr !== null) {
        <h3>stderr</h3>
        <pre class="out" data-testid="run-stderr">{{ out.stderr || '(empty)' }}</pre>
      }
      @for (note of out.notes; track note) {
        <p class="muted">{{ note }}</p>
      }
      @if (out.details) {
        <h3>Output</h3>
        <pre class="out" data-testid="run-output">{{ out.details }}</pre>
      }
      @if (run().earlierAttempts.length) {
        <h3>Earlier attempts</h3>
        <ol class="attempts">
          @for (attempt of run().earlierAttempts; track $index) {
            <li><time [attr.datetime]="attempt.finishedAt">{{ attempt.finishedAt | date: 'medium' }}</time>: {{ attempt.statusReason ?? 'failed' }}</li>
          }
        </ol>
      }
      @if (run().status === 'failed' || run().status === 'dead') {
        <button *hlIfRole="'editor'" type="button" (click)="retry.emit()">Retry this run</button>
      }
    </div>
  `,
  styles: `
    .run-body { padding: 0 0.75rem 0.75rem; display: grid; gap: 0.4rem; }
    .run-body h3 { font-size: 0.95rem; margin: 0.4rem 0 0; }
    .error-text { color: var(--danger); margin: 0; overflow-wrap: anywhere; }
    .warnings { margin: 0; color: var(--danger); }
    .facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 0.75rem; margin: 0; }
    .facts dt { color: var(--muted); }
    .facts dd { margin: 0; overflow-wrap: anywhere; }
    .facts .group { display: contents; }
    .commit-message { white-space: pre-wrap; }
    .out { margin: 0; padding: 0.5rem; background: var(--code-bg); border-radius: 6px; overflow: auto; max-height: 20rem; white-space: pre-wrap; overflow-wrap: anywhere; }
    .attempts { margin: 0; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RunDetails {
  readonly run = input.required<Run>();
  /** "Retry this run" was pressed; the parent retries and reads the run again. */
  readonly retry = output<void>();
  protected readonly shownOutput = shownOutput;
  protected readonly scmPollOf = scmPollOf;
  protected readonly short = shortSha;
}
