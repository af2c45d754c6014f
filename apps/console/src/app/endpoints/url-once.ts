import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { ShownOnce } from '../shared/shown-once';

/** An endpoint's full URL, shown once after it was made, with a button that copies it. */
@Component({
  selector: 'hl-url-once',
  imports: [ShownOnce],
  template: `
    <hl-shown-once [value]="url()" [heading]="heading()" fieldId="endpoint-url" label="Endpoint URL" copyLabel="Copy URL">
      Copy it to the sender now: it is shown only this once. Later pages show only its prefix; a lost URL is replaced by regenerating it.
    </hl-shown-once>
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class UrlOnce {
  readonly url = input.required<string>();
  readonly heading = input('The endpoint URL');
}
