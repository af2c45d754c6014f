import { ChangeDetectionStrategy, Component, input } from '@angular/core';

/** Stands in for a page that is not built yet; its route passes the title as data. */
@Component({
  selector: 'hl-placeholder-page',
  template: `<h1>{{ heading() }}</h1><p class="muted">This page is coming. Until then the admin API does everything it will (see <a href="/api/docs">/api/docs</a>).</p>`,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PlaceholderPage {
  readonly heading = input('');
}
