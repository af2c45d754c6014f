import { ChangeDetectionStrategy, Component, input } from '@angular/core';

/** Good, bad, waiting or neither: the tone a status is shown in. */
export type StatusTone = 'ok' | 'bad' | 'wait' | 'other';

/** A status in words with a colour that says good, bad or waiting. */
@Component({
  selector: 'hl-tone-badge',
  template: `<span [class]="'tone-badge ' + tone()">{{ label() }}</span>`,
  styles: `
    .tone-badge { display: inline-block; padding: 0 0.45rem; border-radius: 999px; font-size: 0.8rem; font-weight: 600; white-space: nowrap; }
    .ok { background: color-mix(in srgb, var(--ok) 18%, transparent); color: var(--ok); }
    .bad { background: var(--danger-soft); color: var(--danger); }
    .wait { background: var(--accent-soft); color: var(--accent-text); }
    .other { background: var(--hover); color: var(--muted); }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ToneBadge {
  readonly tone = input.required<StatusTone>();
  readonly label = input.required<string>();
}
