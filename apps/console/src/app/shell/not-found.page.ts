import { ChangeDetectionStrategy, Component } from '@angular/core';
import { RouterLink } from '@angular/router';

@Component({
  selector: 'hl-not-found-page',
  imports: [RouterLink],
  template: `<h1>Page not found</h1><p>There is no console page at this address. <a routerLink="/">Go to the start page</a>.</p>`,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NotFoundPage {}
