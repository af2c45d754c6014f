import { ChangeDetectionStrategy, Component, input, signal } from '@angular/core';

/** An endpoint's full URL, shown once after it was made, with a button that copies it. */
@Component({
  selector: 'hl-url-once',
  template: `
    <div class="url-once" role="region" aria-labelledby="url-once-title">
      <h2 id="url-once-title">{{ heading() }}</h2>
      <p>Copy it to the sender now: it is shown only this once. Later pages show only its prefix; a lost URL is replaced by regenerating it.</p>
      <div class="url-row">
        <label for="endpoint-url" class="visually-hidden">Endpoint URL</label>
        <input id="endpoint-url" class="url" readonly [value]="url()" (focus)="select($event)" data-testid="endpoint-url" />
        <button type="button" class="primary" (click)="copy()">Copy URL</button>
      </div>
      <span role="status" class="copied">{{ copied() }}</span>
    </div>
  `,
  styles: `
    .url-once { border: 2px solid var(--accent); border-radius: 8px; padding: 0.75rem 1rem; background: var(--accent-soft); }
    h2 { margin-top: 0; }
    .url-row { display: flex; flex-wrap: wrap; gap: 0.5rem; }
    .url { flex: 1 1 20rem; min-width: 0; font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, monospace; }
    .copied { color: var(--ok); }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UrlOnce {
  readonly url = input.required<string>();
  readonly heading = input('The endpoint URL');
  protected readonly copied = signal('');

  protected select(event: FocusEvent): void {
    (event.target as HTMLInputElement).select();
  }

  protected async copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(this.url());
      this.copied.set('Copied.');
    } catch {
      // No clipboard access (an insecure origin, a denied permission): leave the URL selected to copy by hand.
      const field = document.getElementById('endpoint-url') as HTMLInputElement | null;
      field?.focus();
      field?.select();
      this.copied.set('The browser did not allow copying; the URL is selected, press Ctrl+C.');
    }
  }
}
