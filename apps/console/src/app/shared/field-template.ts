import { Directive, input } from '@angular/core';

/** The keys of a draft whose values are text, as its inputs hold them. */
export type TextKey<D> = { [K in keyof D]: D[K] extends string ? K : never }[keyof D] & string;

/** What a form's repeated field template is given for one field. */
export interface FieldContext<D> {
  /** The control's id; its help and error are `<id>-help` and `<id>-error`. */
  id: string;
  /** The control's name, and the draft's key it edits. */
  name: TextKey<D>;
  /** The field as the server names it in a 400. */
  field: string;
  label: string;
  /** Source text: monospaced and not spell-checked. */
  code?: boolean;
  help?: string;
  /** Shown while the input is empty, e.g. the default an empty field takes. */
  placeholder?: string;
}

/**
 * Types the context of an `<ng-template [hlFieldOf]="draft">` that draws one labelled field of a
 * form, so that the template binds `draft[name]` with its real type.
 */
@Directive({ selector: 'ng-template[hlFieldOf]' })
export class FieldTemplate<D> {
  /** The draft the template's controls edit; read only for its type. */
  readonly hlFieldOf = input.required<D>();

  static ngTemplateContextGuard<D>(_template: FieldTemplate<D>, _context: unknown): _context is FieldContext<D> {
    return true;
  }
}
