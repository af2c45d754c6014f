import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { type StatusTone, ToneBadge } from '../shared/tone-badge';
import type { RunStatus } from './automation-types';

/** A run status in words with a colour that says good, bad or waiting. */
@Component({
  selector: 'hl-run-status',
  imports: [ToneBadge],
  template: `<hl-tone-badge [tone]="tone()" [label]="status()" />`,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RunStatusBadge {
  readonly status = input.required<RunStatus>();
  protected readonly tone = computed(() => toneOf(this.status()));
}

export function isFinished(status: RunStatus): boolean {
  return toneOf(status) !== 'wait';
}

function toneOf(status: RunStatus): StatusTone {
  switch (status) {
    case 'succeeded':
      return 'ok';
    case 'failed':
    case 'dead':
      return 'bad';
    case 'pending':
    case 'running':
      return 'wait';
    case 'skipped':
      return 'other';
  }
}
