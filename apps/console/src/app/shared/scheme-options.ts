import { ChangeDetectionStrategy, Component, computed, input, model } from '@angular/core';
import { FormsModule } from '@angular/forms';
import type { ApiError } from '../api/api-error';
import type { Scheme } from '../api/api-types';
import { FieldError } from './field-error';

/**
 * A verification scheme and the options it reads, for a provider or an endpoint: the scheme's
 * select with its description, one input per option, and the server's complaints beside them.
 * Its fields join the grid of the card it sits in.
 */
@Component({
  selector: 'hl-scheme-options',
  imports: [FormsModule, FieldError],
  template: `
    <div class="field wide">
      <label [for]="prefix() + '-scheme'">Scheme</label>
      <select [id]="prefix() + '-scheme'" [ngModel]="scheme()" (ngModelChange)="scheme.set($event)" [attr.aria-invalid]="has('verification.scheme')"
        [attr.aria-describedby]="prefix() + '-scheme-help ' + prefix() + '-scheme-error'">
        @for (s of schemes(); track s.name) {
          <option [value]="s.name">{{ s.name }}</option>
        }
      </select>
      <span [id]="prefix() + '-scheme-help'" class="help">{{ chosen()?.description }}</span>
      <hl-field-error [id]="prefix() + '-scheme-error'" [error]="error()" field="verification.scheme" />
    </div>
    @for (option of optionNames(); track option) {
      <div class="field">
        <label [for]="prefix() + '-option-' + option">Option {{ option }}</label>
        <input [id]="prefix() + '-option-' + option" [ngModel]="options()[option]" (ngModelChange)="options()[option] = $event"
          [attr.aria-invalid]="has('verification.options')"
          [attr.aria-describedby]="prefix() + '-option-help-' + option + ' ' + prefix() + '-options-error'" />
        <span [id]="prefix() + '-option-help-' + option" class="help">{{ chosen()?.options?.[option] }}</span>
      </div>
    }
    <hl-field-error class="wide" [id]="prefix() + '-options-error'" [error]="error()" field="verification.options" />
  `,
  styles: `
    :host { display: contents; }
    .field { display: grid; gap: 0.25rem; }
    .wide { grid-column: 1 / -1; }
    .help { color: var(--muted); font-size: 0.9rem; margin: 0.15rem 0; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class SchemeOptions {
  /** Prefix of the element ids, unique on the page (`provider`, `endpoint`). */
  readonly prefix = input.required<string>();
  readonly schemes = input.required<readonly Scheme[]>();
  /** The scheme's name, two-way: `[(scheme)]="draft.scheme"`. */
  readonly scheme = model.required<string>();
  /** Option name → the text in its input, edited in place. */
  readonly options = input.required<Record<string, string>>();
  readonly error = input<ApiError | undefined>();

  protected readonly chosen = computed(() => this.schemes().find((s) => s.name === this.scheme()));
  protected readonly optionNames = computed(() => Object.keys(this.chosen()?.options ?? {}));

  protected has(field: string): boolean {
    return this.error()?.fields[field] !== undefined;
  }
}
