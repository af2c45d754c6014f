import { ChangeDetectionStrategy, Component, input, signal } from '@angular/core';

/**
 * A credential the server answers only once (an endpoint URL, a runner token), shown with a
 * button that copies it. What it is and why it is shown once is the projected content.
 */
@Component({
  selector: 'hl-shown-once',
  template: `
    <div class="shown-once" role="region" [attr.aria-labelledby]="fieldId() + '-title'">
      <h2 [id]="fieldId() + '-title'">{{ heading() }}</h2>
      <p><ng-content /></p>
      <div class="value-row">
        <label [for]="fieldId()" class="visually-hidden">{{ label() }}</label>
        <input [id]="fieldId()" class="value" readonly [value]="value()" (focus)="select($event)" [attr.data-testid]="fieldId()" />
        <button type="button" class="primary" (click)="copy()">{{ copyLabel() }}</button>
      </div>
      <span role="status" class="copied">{{ copied() }}</span>
    </div>
  `,
  styles: `
    .shown-once { border: 2px solid var(--accent); border-radius: 8px; padding: 0.75rem 1rem; background: var(--accent-soft); }
    h2 { margin-top: 0; }
    .value-row { display: flex; flex-wrap: wrap; gap: 0.5rem; }
    .value { flex: 1 1 20rem; min-width: 0; font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace; }
    .copied { color: var(--ok); }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ShownOnce {
  readonly value = input.required<string>();
  readonly heading = input.required<string>();
  /** The read-only field's id, also its test id. */
  readonly fieldId = input.required<string>();
  /** The field's label, for screen readers. */
  readonly label = input.required<string>();
  readonly copyLabel = input('Copy');
  protected readonly copied = signal('');

  protected select(event: FocusEvent): void {
    (event.target as HTMLInputElement).select();
  }

  protected async copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(this.value());
      this.copied.set('Copied.');
    } catch {
      // No clipboard access (an insecure origin, a denied permission): leave the value selected to copy by hand.
      const field = document.getElementById(this.fieldId()) as HTMLInputElement | null;
      field?.focus();
      field?.select();
      this.copied.set('The browser did not allow copying; the text is selected, press Ctrl+C.');
    }
  }
}
