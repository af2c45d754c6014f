import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { DatePipe } from '@angular/common';
import { ToneBadge } from '../shared/tone-badge';
import type { ScmTestPollView } from './scm-poll-types';
import { outcomeOf, shortSha } from './scm-text';

/** What a Test Poll found, per watched branch: the SHA, whether it would run, what the paths filter matched, the latency and any error. */
@Component({
  selector: 'hl-scm-test-poll-result',
  imports: [DatePipe, ToneBadge],
  template: `
    @let a = answer();
    <div class="result" role="region" aria-label="Test poll result" aria-live="polite">
      <p class="summary">
        <strong>{{ headline() }}</strong>
        <span class="muted">polled <time [attr.datetime]="a.polledAt">{{ a.polledAt | date: 'mediumTime' }}</time>; nothing was stored and nothing ran.</span>
      </p>
      @if (a.listing; as listing) {
        <p class="listing" data-testid="test-poll-listing">
          Branches matching <code>{{ listing.patterns.join(', ') }}</code>:
          @switch (listing.outcome) {
            @case ('listed') { {{ listing.matched.length ? listing.matched.join(', ') : 'none' }} }
            @case ('failed') { <span class="bad-text">not listed: {{ listing.error?.message }}</span> }
            @case ('waiting') { those known from earlier polls }
          }
        </p>
      }
      @if (a.branches.length === 0) {
        <p class="muted">No branch to poll: nothing matched the watched entries.</p>
      } @else {
        <div class="scroll">
          <table class="test-poll-table">
            <thead>
              <tr>
                <th scope="col">Branch</th><th scope="col">Outcome</th><th scope="col">SHA found</th><th scope="col">Would run</th>
                <th scope="col">Paths</th><th scope="col">Latency</th><th scope="col">Error</th>
              </tr>
            </thead>
            <tbody>
              @for (b of a.branches; track b.branch) {
                @let outcome = outcomeOf(b.outcome);
                <tr [attr.data-branch]="b.branch">
                  <th scope="row"><code>{{ b.branch }}</code></th>
                  <td><hl-tone-badge [tone]="outcome.tone" [label]="outcome.label" /></td>
                  <td>
                    @if (b.head; as head) {
                      <span class="head">
                        @if (b.previousSha && b.previousSha !== head.sha) {
                          <code [title]="b.previousSha">{{ short(b.previousSha) }}</code> →
                        }
                        @if (head.url) {
                          <a [href]="head.url" target="_blank" rel="noopener noreferrer"><code [title]="head.sha" data-testid="head-sha">{{ short(head.sha) }}</code></a>
                        } @else {
                          <code [title]="head.sha" data-testid="head-sha">{{ short(head.sha) }}</code>
                        }
                        @if (head.message) { <span class="message">{{ firstLine(head.message) }}</span> }
                        @if (head.author) { <span class="muted">by {{ head.author }}</span> }
                      </span>
                    } @else {
                      <span class="muted">—</span>
                    }
                  </td>
                  <td data-testid="would-run">{{ b.wouldTrigger ? 'yes' : 'no' }}</td>
                  <td class="paths">
                    @if (b.paths; as p) {
                      @if (!p.compared) {
                        not compared{{ p.reason ? ': ' + p.reason : '' }}; the branch runs
                      } @else {
                        {{ p.matchedCount }} of {{ p.changedCount }} changed {{ p.changedCount === 1 ? 'file matches' : 'files match' }}
                        @if (p.matched.length) {
                          <ul class="files">
                            @for (file of p.matched; track file) { <li><code>{{ file }}</code></li> }
                          </ul>
                        } @else if (p.changedSample.length) {
                          <details>
                            <summary>Changed files</summary>
                            <ul class="files">
                              @for (file of p.changedSample; track file) { <li><code>{{ file }}</code></li> }
                            </ul>
                          </details>
                        }
                      }
                    } @else {
                      <span class="muted">{{ b.outcome === 'triggered' || b.outcome === 'duplicate' ? 'no filter' : '—' }}</span>
                    }
                  </td>
                  <td class="number">{{ b.latencyMs === null ? '—' : b.latencyMs + ' ms' }}</td>
                  <td class="error">
                    @if (b.error; as e) {
                      <span class="bad-text">{{ e.kind }}: {{ e.message }}</span>
                      @if (e.retryAt) { <span class="muted">Not before <time [attr.datetime]="e.retryAt">{{ e.retryAt | date: 'mediumTime' }}</time>.</span> }
                    } @else if (b.duplicateOf; as dup) {
                      <span class="muted">already run by a {{ dup.source }} at <time [attr.datetime]="dup.seenAt">{{ dup.seenAt | date: 'mediumTime' }}</time></span>
                    }
                  </td>
                </tr>
              }
            </tbody>
          </table>
        </div>
      }
    </div>
  `,
  styles: `
    .result { display: grid; gap: 0.4rem; }
    .summary { margin: 0; display: flex; flex-wrap: wrap; gap: 0.2rem 0.6rem; align-items: baseline; }
    .listing { margin: 0; }
    .scroll { overflow-x: auto; }
    table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
    th, td { text-align: left; vertical-align: top; padding: 0.35rem 0.5rem; border-bottom: 1px solid var(--border); }
    thead th { color: var(--muted); font-weight: 600; white-space: nowrap; }
    .head { display: flex; flex-wrap: wrap; gap: 0.1rem 0.4rem; align-items: baseline; min-width: 12rem; }
    .message { overflow-wrap: anywhere; }
    .number { white-space: nowrap; font-variant-numeric: tabular-nums; }
    .files { margin: 0.2rem 0 0; padding-left: 1.1rem; }
    .error { overflow-wrap: anywhere; min-width: 10rem; }
    .error > span { display: block; }
    .bad-text { color: var(--danger); }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ScmTestPollResult {
  readonly answer = input.required<ScmTestPollView>();
  protected readonly short = shortSha;
  protected readonly outcomeOf = outcomeOf;

  protected headline(): string {
    const branches = this.answer().branches;
    const runs = branches.filter((b) => b.wouldTrigger).length;
    const failed = branches.filter((b) => b.outcome === 'failed').length;
    const parts = [`${runs} of ${branches.length} ${branches.length === 1 ? 'branch' : 'branches'} would run`];
    if (failed) parts.push(`${failed} failed`);
    return parts.join(', ');
  }

  protected firstLine(message: string): string {
    return message.split('\n', 1)[0];
  }
}
