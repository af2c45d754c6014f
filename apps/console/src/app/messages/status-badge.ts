import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { MessageStatus } from './message-types';

/** A message status in words with a colour that says good, bad or waiting. */
@Component({
  selector: 'hl-status-badge',
  template: `<span class="status" [class]="'status ' + tone()">{{ label() }}</span>`,
  styles: `
    .status { display: inline-block; padding: 0 0.45rem; border-radius: 999px; font-size: 0.8rem; font-weight: 600; white-space: nowrap; }
    .ok { background: color-mix(in srgb, var(--ok) 18%, transparent); color: var(--ok); }
    .bad { background: var(--danger-soft); color: var(--danger); }
    .wait { background: var(--accent-soft); color: var(--accent-text); }
    .other { background: var(--hover); color: var(--muted); }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class StatusBadge {
  readonly status = input.required<MessageStatus>();
  protected readonly label = computed(() => this.status().replace('_', ' '));
  protected readonly tone = computed(() => toneOf(this.status()));
}

/** Good, bad, waiting or neither: the tone a status is shown in, here and on the overview chart. */
export type StatusTone = 'ok' | 'bad' | 'wait' | 'other';

export function toneOf(status: MessageStatus): StatusTone {
  switch (status) {
    case 'processed':
      return 'ok';
    case 'failed':
    case 'dead':
    case 'unauthorized':
      return 'bad';
    case 'received':
    case 'queued':
    case 'processing':
    case 'throttled':
      return 'wait';
    case 'no_provider':
    case 'no_function':
    case 'duplicate':
      return 'other';
  }
}
