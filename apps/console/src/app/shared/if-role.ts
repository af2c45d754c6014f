import { Directive, TemplateRef, ViewContainerRef, effect, inject, input } from '@angular/core';
import type { Role } from '../api/api-types';
import { Session } from '../auth/session';

/**
 * `*hlIfRole="'editor'"`: renders its element only for that role and above, so a viewer sees no
 * button the server would refuse. The server's role check is the real guard.
 */
@Directive({ selector: '[hlIfRole]' })
export class IfRole {
  readonly hlIfRole = input.required<Role>();
  private readonly session = inject(Session);
  private readonly template = inject(TemplateRef);
  private readonly container = inject(ViewContainerRef);
  private shown = false;

  constructor() {
    effect(() => {
      const show = this.session.can(this.hlIfRole());
      if (show === this.shown) return;
      this.shown = show;
      if (show) this.container.createEmbeddedView(this.template);
      else this.container.clear();
    });
  }
}
