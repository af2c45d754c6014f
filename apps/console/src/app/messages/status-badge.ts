import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { type StatusTone, ToneBadge } from '../shared/tone-badge';
import type { MessageStatus } from './message-types';

export type { StatusTone };

/** A message status in words with a colour that says good, bad or waiting. */
@Component({
  selector: 'hl-status-badge',
  imports: [ToneBadge],
  template: `<hl-tone-badge [tone]="tone()" [label]="label()" />`,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class StatusBadge {
  readonly status = input.required<MessageStatus>();
  protected readonly label = computed(() => this.status().replace('_', ' '));
  protected readonly tone = computed(() => toneOf(this.status()));
}

/** The tone a message status is shown in, here and on the overview chart. */
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
