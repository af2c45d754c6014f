import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, input, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { StatusBadge } from '../messages/status-badge';
import type { PreviewView, PreviewItem } from './preview.api';

/** What each replayed message did beside what the draft would do, the differences marked. */
@Component({
  selector: 'hl-preview-results',
  imports: [DatePipe, RouterLink, StatusBadge],
  template: `
    <p class="summary" role="status">
      Replayed {{ answer().counts.messages }} {{ answer().counts.messages === 1 ? 'message' : 'messages' }} in {{ answer().durationMs }} ms:
      <strong>{{ answer().counts.changed }} would go elsewhere</strong>, {{ answer().counts.messages - answer().counts.changed }} the same.
    </p>
    <label class="only-changed">
      <input type="checkbox" [checked]="onlyChanged()" (change)="onlyChanged.set($any($event.target).checked)" />
      Show only the changed messages
    </label>
    <table class="results" aria-label="Each message: what happened and what the draft would do">
      <thead>
        <tr><th scope="col">Message</th><th scope="col">What happened</th><th scope="col">With the draft</th><th scope="col">Difference</th></tr>
      </thead>
      <tbody>
        @for (item of shown(); track item.messageId) {
          <tr [class.changed]="item.changed" [attr.data-message-id]="item.messageId">
            <td>
              <a [routerLink]="['/messages', item.messageId]"><span class="method">{{ item.method }}</span> /{{ item.uri }}</a>
              <div class="muted"><time [attr.datetime]="item.receivedAt">{{ item.receivedAt | date: 'MMM d, HH:mm:ss' }}</time>{{ item.eventType ? ' · ' + item.eventType : '' }}</div>
            </td>
            <td>
              <hl-status-badge [status]="item.actual.status" />
              <div [class.differs]="item.changes.includes('provider')">{{ item.actual.providerName ?? 'no provider' }}</div>
              <div class="muted" [class.differs]="item.changes.includes('functions')">{{ names(item.actual.functions) }}</div>
            </td>
            <td>
              <span class="draft-status">{{ draftStatus(item) }}</span>
              <div [class.differs]="item.changes.includes('provider')">{{ item.draft.providerName ?? 'no provider' }}</div>
              <div class="muted" [class.differs]="item.changes.includes('functions')">{{ names(item.draft.functions) }}</div>
              @for (problem of item.draft.errors ?? []; track problem.id) {
                <div class="field-error">{{ problem.name }}: {{ problem.error.message }}</div>
              }
            </td>
            <td class="difference">{{ item.changed ? 'changed: ' + item.changes.join(' and ') : 'same' }}</td>
          </tr>
        } @empty {
          <tr><td colspan="4" class="muted">{{ onlyChanged() ? 'No message would go elsewhere.' : 'No stored webhooks to replay yet.' }}</td></tr>
        }
      </tbody>
    </table>
  `,
  styles: `
    .summary { margin: 0.5rem 0; }
    .only-changed { display: inline-flex; gap: 0.4rem; align-items: center; font-weight: normal; margin-bottom: 0.5rem; }
    .results { width: 100%; border-collapse: collapse; }
    .results th, .results td { text-align: left; padding: 0.4rem 0.6rem; border-bottom: 1px solid var(--border); vertical-align: top; }
    tr.changed { background: color-mix(in srgb, var(--danger) 9%, transparent); }
    tr.changed td:first-child { box-shadow: inset 4px 0 0 var(--danger); }
    .differs { font-weight: 700; }
    tr.changed .difference { color: var(--danger); font-weight: 600; }
    .method { font-weight: 600; }
    .draft-status { font-size: 0.85rem; font-weight: 600; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PreviewResults {
  readonly answer = input.required<PreviewView>();
  protected readonly onlyChanged = signal(false);
  protected readonly shown = computed(() => (this.onlyChanged() ? this.answer().items.filter((item) => item.changed) : this.answer().items));

  protected names(functions: ReadonlyArray<{ name: string }>): string {
    return functions.length === 0 ? 'no function' : functions.map((fn) => fn.name).join(', ');
  }

  protected draftStatus(item: PreviewItem): string {
    switch (item.draft.status) {
      case 'accepted':
        return 'accepted';
      case 'no_provider':
        return 'no provider';
      case 'unauthorized':
        return 'unauthorized';
    }
  }
}
