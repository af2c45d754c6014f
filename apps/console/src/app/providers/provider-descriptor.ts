import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { type ApiError, toApiError } from '../api/api-error';
import { ErrorBanner } from '../shared/error-banner';
import { FieldError } from '../shared/field-error';
import { DESCRIPTOR_ALGORITHMS, type DescriptorDraft, descriptorOf } from './descriptor-draft';
import { type GeneratedProvider, ProvidersApi } from './providers.api';

/** The descriptor fields this component shows beside their inputs, for the page's error banner. */
export const DESCRIPTOR_FIELDS = [
  'descriptor',
  'descriptor.algorithm',
  'descriptor.header',
  'descriptor.format',
  'descriptor.signedContent',
  'descriptor.timestampHeader',
  'descriptor.toleranceSeconds',
  'descriptor.pathSuffix',
  'descriptor.pathSuffix.*',
  'descriptor.eventHeader',
  'descriptor.eventField',
  'descriptor.deliveryIdHeader',
];

/**
 * A new provider's descriptor: how the sender signs, the uris it owns, where it names its event;
 * and a preview of the match script, verification and event format the server would generate.
 * Its fields join the grid of the card it sits in.
 */
@Component({
  selector: 'hl-provider-descriptor',
  imports: [FormsModule, ErrorBanner, FieldError],
  template: `
    @let d = draft();
    <div class="field">
      <label for="descriptor-algorithm">Algorithm</label>
      <select id="descriptor-algorithm" [(ngModel)]="d.algorithm" aria-describedby="descriptor-algorithm-help descriptor-algorithm-error">
        @for (algorithm of algorithms; track algorithm) {
          <option [value]="algorithm">{{ algorithm }}</option>
        }
      </select>
      <span id="descriptor-algorithm-help" class="help">none verifies nothing: keep such a provider's uris unguessable.</span>
      <hl-field-error id="descriptor-algorithm-error" [error]="error()" field="descriptor.algorithm" />
    </div>
    @if (d.algorithm !== 'none') {
      <div class="field">
        <label for="descriptor-header">Signature header</label>
        <input id="descriptor-header" [(ngModel)]="d.header" placeholder="X-Shopify-Hmac-Sha256" [attr.aria-invalid]="has('descriptor.header')" aria-describedby="descriptor-header-error" />
        <hl-field-error id="descriptor-header-error" [error]="error()" field="descriptor.header" />
      </div>
      <div class="field">
        <label for="descriptor-format">Format</label>
        <input id="descriptor-format" [(ngModel)]="d.format" [attr.aria-invalid]="has('descriptor.format')" aria-describedby="descriptor-format-help descriptor-format-error" />
        <span id="descriptor-format-help" class="help">hex, base64, or a prefix followed by {{ '{hex}' }} or {{ '{base64}' }}, such as sha256={{ '{hex}' }}.</span>
        <hl-field-error id="descriptor-format-error" [error]="error()" field="descriptor.format" />
      </div>
      <div class="field">
        <label for="descriptor-signed-content">Signed content</label>
        <input id="descriptor-signed-content" [(ngModel)]="d.signedContent" [attr.aria-invalid]="has('descriptor.signedContent')"
          aria-describedby="descriptor-signed-content-help descriptor-signed-content-error" />
        <span id="descriptor-signed-content-help" class="help">{{ '{body}' }} for the raw body, or a template such as {{ '{timestamp}' }}.{{ '{body}' }}.</span>
        <hl-field-error id="descriptor-signed-content-error" [error]="error()" field="descriptor.signedContent" />
      </div>
      <div class="field">
        <label for="descriptor-timestamp-header">Timestamp header</label>
        <input id="descriptor-timestamp-header" [(ngModel)]="d.timestampHeader" [attr.aria-invalid]="has('descriptor.timestampHeader')"
          aria-describedby="descriptor-timestamp-header-help descriptor-timestamp-header-error" />
        <span id="descriptor-timestamp-header-help" class="help">Its Unix seconds fill {{ '{timestamp}' }}; only with a template that signs it.</span>
        <hl-field-error id="descriptor-timestamp-header-error" [error]="error()" field="descriptor.timestampHeader" />
      </div>
      <div class="field">
        <label for="descriptor-tolerance">Timestamp tolerance (s)</label>
        <input id="descriptor-tolerance" [(ngModel)]="d.toleranceSeconds" inputmode="numeric" placeholder="300" [attr.aria-invalid]="has('descriptor.toleranceSeconds')"
          aria-describedby="descriptor-tolerance-error" />
        <hl-field-error id="descriptor-tolerance-error" [error]="error()" field="descriptor.toleranceSeconds" />
      </div>
    }
    <div class="field wide">
      <label for="descriptor-uris">URIs this provider owns</label>
      <textarea id="descriptor-uris" rows="2" [(ngModel)]="d.pathSuffix" placeholder="shopify" [attr.aria-invalid]="has('descriptor.pathSuffix')"
        aria-describedby="descriptor-uris-help descriptor-uris-error"></textarea>
      <span id="descriptor-uris-help" class="help">One per line, the part after /webhooks/. Each owns everything under it too (shop owns shop/orders); no globs.</span>
      <hl-field-error id="descriptor-uris-error" [error]="error()" field="descriptor.pathSuffix" [items]="true" />
    </div>
    <div class="field">
      <label for="descriptor-event-from">Event type from</label>
      <select id="descriptor-event-from" [(ngModel)]="d.eventFrom">
        <option value="header">a header</option>
        <option value="field">a payload field</option>
      </select>
    </div>
    <div class="field">
      <label for="descriptor-event-name">{{ d.eventFrom === 'header' ? 'Event header' : 'Event field' }}</label>
      <input id="descriptor-event-name" [(ngModel)]="d.eventName" [placeholder]="d.eventFrom === 'header' ? 'X-Shopify-Topic' : 'meta.event'"
        [attr.aria-invalid]="has('descriptor.eventHeader') || has('descriptor.eventField')" aria-describedby="descriptor-event-name-error" />
      <hl-field-error id="descriptor-event-name-error" [error]="error()" field="descriptor.eventHeader" />
      <hl-field-error [error]="error()" field="descriptor.eventField" />
    </div>
    <div class="field">
      <label for="descriptor-delivery-id">Delivery id header (optional)</label>
      <input id="descriptor-delivery-id" [(ngModel)]="d.deliveryIdHeader" placeholder="X-Shopify-Webhook-Id" aria-describedby="descriptor-delivery-id-help descriptor-delivery-id-error" />
      <span id="descriptor-delivery-id-help" class="help">The id a sender repeats on retries, to store redeliveries as duplicates.</span>
      <hl-field-error id="descriptor-delivery-id-error" [error]="error()" field="descriptor.deliveryIdHeader" />
    </div>
    <hl-field-error class="wide" [error]="error()" field="descriptor" />
    <div class="wide preview">
      <button type="button" (click)="preview()" [disabled]="previewing()">Preview what it generates</button>
      <hl-error-banner [error]="previewError()" refusedTitle="Cannot preview:" />
      @if (generated(); as g) {
        <dl data-testid="descriptor-preview">
          <dt>Verification</dt>
          <dd><code>{{ g.verification.scheme }}</code> {{ optionsText(g) }}</dd>
          <dt>Event format</dt>
          <dd><code>{{ g.eventFormat }}</code></dd>
          <dt>Match script</dt>
          <dd><pre>{{ g.matchScript }}</pre></dd>
        </dl>
      }
    </div>
  `,
  styles: `
    :host { display: contents; }
    .field { display: grid; gap: 0.25rem; }
    .wide { grid-column: 1 / -1; }
    .help { color: var(--muted); font-size: 0.9rem; margin: 0.15rem 0; }
    .preview { display: grid; gap: 0.5rem; justify-items: start; }
    dl { margin: 0; display: grid; grid-template-columns: auto 1fr; gap: 0.3rem 1rem; width: 100%; }
    dt { font-weight: 600; }
    dd { margin: 0; overflow-wrap: anywhere; }
    pre { margin: 0; white-space: pre-wrap; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ProviderDescriptor {
  private readonly api = inject(ProvidersApi);
  /** Edited in place. */
  readonly draft = input.required<DescriptorDraft>();
  /** The last save's error, whose descriptor fields show here. */
  readonly error = input<ApiError | undefined>();
  protected readonly algorithms = DESCRIPTOR_ALGORITHMS;
  protected readonly generated = signal<GeneratedProvider | undefined>(undefined);
  protected readonly previewError = signal<ApiError | undefined>(undefined);
  protected readonly previewing = signal(false);

  protected has(field: string): boolean {
    return this.error()?.fields[field] !== undefined;
  }

  protected optionsText(generated: GeneratedProvider): string {
    return Object.keys(generated.verification.options).length > 0 ? JSON.stringify(generated.verification.options) : '';
  }

  protected async preview(): Promise<void> {
    this.previewing.set(true);
    this.previewError.set(undefined);
    try {
      this.generated.set(await this.api.previewDescriptor(descriptorOf(this.draft())));
    } catch (err) {
      this.generated.set(undefined);
      this.previewError.set(toApiError(err));
    } finally {
      this.previewing.set(false);
    }
  }
}
