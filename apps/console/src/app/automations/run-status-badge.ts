import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { RunStatus } from './automation-types';

/** A run status in words with a colour that says good, bad or waiting. */
@Component({
  selector: 'hl-run-status',
  template: `<span [class]="'run-status ' + tone()">{{ status() }}</span>`,
  styles: `
    .run-status { display: inline-block; padding: 0 0.45rem; border-radius: 999px; font-size: 0.8rem; font-weight: 600; white-space: nowrap; }
    .ok { background: color-mix(in srgb, var(--ok) 18%, transparent); color: var(--ok); }
    .bad { background: var(--danger-soft); color: var(--danger); }
    .wait { background: var(--accent-soft); color: var(--accent-text); }
    .other { background: var(--hover); color: var(--muted); }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RunStatusBadge {
  readonly status = input.required<RunStatus>();
  protected readonly tone = computed(() => toneOf(this.status()));
}

export function isFinished(status: RunStatus): boolean {
  return toneOf(status) !== 'wait';
}

function toneOf(status: RunStatus): 'ok' | 'bad' | 'wait' | 'other' {
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
