import { ChangeDetectionStrategy, Component, ElementRef, input, viewChild } from '@angular/core';

/**
 * A modal question with a confirm and a cancel button. The browser's own dialog element keeps
 * the focus inside, starts it on Cancel and closes on Escape.
 */
@Component({
  selector: 'hl-confirm-dialog',
  template: `
    <dialog #dialog [attr.aria-labelledby]="id() + '-title'" [attr.aria-describedby]="id() + '-text'" (close)="closed()">
      <h2 [id]="id() + '-title'">{{ heading() }}</h2>
      <p [id]="id() + '-text'"><ng-content /></p>
      <form method="dialog" class="buttons">
        <button type="submit" value="cancel" autofocus>Cancel</button>
        <button type="submit" value="confirm" [class]="danger() ? 'danger' : 'primary'">{{ confirmLabel() }}</button>
      </form>
    </dialog>
  `,
  styles: `
    dialog { max-width: min(32rem, calc(100vw - 2rem)); border: 1px solid var(--border); border-radius: 8px; background: var(--surface); color: var(--text); padding: 1rem 1.25rem; }
    dialog::backdrop { background: rgb(0 0 0 / 45%); }
    h2 { margin-top: 0; }
    .buttons { display: flex; flex-wrap: wrap; justify-content: flex-end; gap: 0.6rem; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ConfirmDialog {
  readonly id = input.required<string>();
  readonly heading = input.required<string>();
  readonly confirmLabel = input.required<string>();
  readonly danger = input(false);
  private readonly dialog = viewChild.required<ElementRef<HTMLDialogElement>>('dialog');
  private answer: ((confirmed: boolean) => void) | undefined;

  /** Shows the dialog; true when the user confirmed. */
  ask(): Promise<boolean> {
    const dialog = this.dialog().nativeElement;
    dialog.returnValue = '';
    dialog.showModal();
    return new Promise((resolve) => (this.answer = resolve));
  }

  protected closed(): void {
    this.answer?.(this.dialog().nativeElement.returnValue === 'confirm');
    this.answer = undefined;
  }
}
