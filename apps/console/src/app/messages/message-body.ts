import { ChangeDetectionStrategy, Component, computed, effect, inject, input, signal, untracked } from '@angular/core';
import { type ApiError, toApiError } from '../api/api-error';
import { ErrorBanner } from '../shared/error-banner';
import type { MessageDetail } from './message-types';
import { MessagesApi } from './messages-api';
import { hexDump, prettyJson } from './request-text';

type View = 'pretty' | 'raw' | 'hex';

/** A message body three ways: indented JSON, the text as received, and the bytes in hex. */
@Component({
  selector: 'hl-message-body',
  imports: [ErrorBanner],
  template: `
    <fieldset class="views">
      <legend class="visually-hidden">Show the body as</legend>
      @for (option of options(); track option.view) {
        <label><input type="radio" name="body-view" [value]="option.view" [checked]="view() === option.view" (change)="show(option.view)" /> {{ option.label }}</label>
      }
      <a class="download" [href]="rawUrl()" download>Download raw body</a>
    </fieldset>
    <p class="muted">{{ message().contentType ?? 'no content type' }} · {{ message().bodySize }} bytes
      @if (message().bodyTruncated) { · only the first 256 KB is shown as text }</p>
    @switch (view()) {
      @case ('pretty') { <pre class="body" tabindex="0" aria-label="Body, indented JSON">{{ pretty() }}</pre> }
      @case ('raw') { <pre class="body" tabindex="0" aria-label="Body as received">{{ message().body }}</pre> }
      @case ('hex') {
        <hl-error-banner [error]="error()" />
        <pre class="body" tabindex="0" aria-label="Body in hex">{{ hex() ?? 'Loading…' }}</pre>
      }
    }
  `,
  styles: `
    .views { display: flex; flex-wrap: wrap; gap: 0.4rem 1rem; align-items: center; border: none; padding: 0; margin: 0 0 0.3rem; }
    .views label { font-weight: normal; display: inline-flex; gap: 0.3rem; align-items: center; }
    .download { margin-left: auto; }
    .body { margin: 0; padding: 0.6rem; background: var(--code-bg); border-radius: 6px; overflow: auto; max-height: 32rem; white-space: pre-wrap; word-break: break-all; }
    p { margin: 0 0 0.4rem; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class MessageBody {
  private readonly api = inject(MessagesApi);
  readonly message = input.required<MessageDetail>();
  protected readonly pretty = computed(() => prettyJson(this.message().body));
  protected readonly options = computed(() => {
    const all: Array<{ view: View; label: string }> = [];
    if (this.pretty() !== undefined) all.push({ view: 'pretty', label: 'Pretty JSON' });
    if (this.message().body !== null) all.push({ view: 'raw', label: 'Raw' });
    all.push({ view: 'hex', label: 'Hex' });
    return all;
  });
  protected readonly rawUrl = computed(() => this.api.bodyUrl(this.message().id));
  protected readonly view = signal<View>('raw');
  protected readonly hex = signal<string | undefined>(undefined);
  protected readonly error = signal<ApiError | undefined>(undefined);

  constructor() {
    // Each message opens in its most readable form: JSON indented, text as is, binary in hex.
    effect(() => {
      const first = this.options()[0]?.view ?? 'hex';
      untracked(() => {
        this.hex.set(undefined);
        this.show(first);
      });
    });
  }

  protected show(view: View): void {
    this.view.set(view);
    if (view === 'hex' && this.hex() === undefined) void this.loadHex(this.message().id);
  }

  private async loadHex(id: string): Promise<void> {
    this.error.set(undefined);
    try {
      const dump = hexDump(await this.api.rawBody(id));
      if (id === this.message().id) this.hex.set(dump || '(empty body)');
    } catch (err) {
      this.error.set(toApiError(err));
    }
  }
}
