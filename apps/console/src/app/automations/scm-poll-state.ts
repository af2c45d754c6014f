import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { DatePipe } from '@angular/common';
import { type ApiError, toApiError } from '../api/api-error';
import { ErrorBanner } from '../shared/error-banner';
import type { Automation } from './automation-types';
import { AutomationsApi } from './automations.api';
import type { ScmStateView } from './scm-poll-types';
import { isBranchGlob, shortSha } from './scm-text';

/** Where polling stands for each watched branch of an automation: last SHA and poll, errors, backoff and the next attempt. */
@Component({
  selector: 'hl-scm-poll-state',
  imports: [DatePipe, ErrorBanner],
  template: `
    <section class="card" aria-labelledby="scm-state-title">
      <div class="heading">
        <h2 id="scm-state-title">Branch polling</h2>
        <button type="button" (click)="reload()">Refresh</button>
      </div>
      <hl-error-banner [error]="error()" />
      @if (state(); as s) {
        @if (s.scmPoll; as setting) {
          <p class="help">
            Watching <code>{{ setting.branch ?? setting.branches?.join(', ') }}</code> of <code>{{ setting.repo }}</code> on
            <code>{{ setting.providerName }}</code>@if (setting.paths.length) {, for changes to <code>{{ setting.paths.join(', ') }}</code>}.
          </p>
        }
        @if (!s.pollingEnabled) {
          <p class="warn" role="note">Polling is turned off on this server (<code>HOOKLINE_SCM_POLLING=false</code>): nothing is polled and no tick runs.</p>
        }
        @if (s.branches.length === 0) {
          <p class="muted">Not polled yet: the schedule's next tick records each branch's baseline.</p>
        } @else {
          <div class="scroll">
            <table class="scm-state-table">
              <thead>
                <tr>
                  <th scope="col">Branch</th><th scope="col">Last SHA</th><th scope="col">Last poll</th><th scope="col">Errors in a row</th>
                  <th scope="col">Backoff</th><th scope="col">Next attempt</th>
                </tr>
              </thead>
              <tbody>
                @for (b of s.branches; track b.branch) {
                  <tr [attr.data-branch]="b.branch" [class.failing]="b.consecutiveErrors > 0">
                    <th scope="row">
                      <span class="line">
                        <code>{{ b.branch }}</code>
                        @if (isGlob(b.branch)) { <span class="muted">(listing the branches it matches)</span> }
                      </span>
                    </th>
                    <td>
                      @if (b.lastSha) {
                        <span class="line">
                          <code [title]="b.lastSha" data-testid="last-sha">{{ short(b.lastSha) }}</code>
                          @if (b.baselineAt) { <span class="muted">baseline <time [attr.datetime]="b.baselineAt">{{ b.baselineAt | date: 'short' }}</time></span> }
                        </span>
                      } @else {
                        <span class="muted">—</span>
                      }
                    </td>
                    <td>@if (b.lastPollAt) { <time [attr.datetime]="b.lastPollAt">{{ b.lastPollAt | date: 'medium' }}</time> } @else { <span class="muted">never</span> }</td>
                    <td class="errors">
                      <span data-testid="consecutive-errors">{{ b.consecutiveErrors }}</span>
                      @if (b.lastError) { <span class="bad-text">{{ b.lastError }}</span> }
                      @if (b.recentErrors.length) {
                        <details>
                          <summary>Last {{ b.recentErrors.length }} {{ b.recentErrors.length === 1 ? 'error' : 'errors' }}</summary>
                          <ol class="recent">
                            @for (e of b.recentErrors; track $index) {
                              <li><time [attr.datetime]="e.at">{{ e.at | date: 'medium' }}</time> {{ e.kind }}: {{ e.message }}</li>
                            }
                          </ol>
                        </details>
                      }
                    </td>
                    <td>{{ b.backoffSeconds > 0 ? b.backoffSeconds + ' s' : 'none' }}</td>
                    <td>@if (b.nextAttemptAt) { <time [attr.datetime]="b.nextAttemptAt">{{ b.nextAttemptAt | date: 'medium' }}</time> } @else { next tick }</td>
                  </tr>
                }
              </tbody>
            </table>
          </div>
        }
      } @else if (!error()) {
        <p class="muted" role="status">Loading the poll state…</p>
      }
    </section>
  `,
  styles: `
    .heading { display: flex; align-items: center; justify-content: space-between; gap: 1rem; }
    h2 { margin: 0; }
    .help { color: var(--muted); font-size: 0.9rem; overflow-wrap: anywhere; }
    .warn, .bad-text { color: var(--danger); }
    .scroll { overflow-x: auto; }
    table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
    th, td { text-align: left; vertical-align: top; padding: 0.35rem 0.5rem; border-bottom: 1px solid var(--border); }
    thead th { color: var(--muted); font-weight: 600; white-space: nowrap; }
    .errors { overflow-wrap: anywhere; min-width: 12rem; }
    .errors > * { display: block; }
    .line { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0.1rem 0.4rem; }
    .recent { margin: 0.2rem 0 0; padding-left: 1.2rem; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ScmPollState {
  private readonly api = inject(AutomationsApi);
  /** Read again when it is saved: a new setting may forget branches or start new ones. */
  readonly automation = input.required<Automation>();
  protected readonly state = signal<ScmStateView | undefined>(undefined);
  protected readonly error = signal<ApiError | undefined>(undefined);
  protected readonly short = shortSha;
  protected readonly isGlob = isBranchGlob;
  private readonly savedAt = computed(() => `${this.automation().id} ${this.automation().updatedAt}`);

  constructor() {
    effect(() => {
      this.savedAt();
      untracked(() => this.reload());
    });
  }

  protected reload(): void {
    void this.load(this.automation().id);
  }

  private async load(id: string): Promise<void> {
    this.error.set(undefined);
    try {
      const state = await this.api.scmState(id);
      if (id === this.automation().id) this.state.set(state);
    } catch (err) {
      this.error.set(toApiError(err));
    }
  }
}
