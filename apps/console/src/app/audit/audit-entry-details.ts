import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { AuditEntryView } from '../../../../server/src/audit/audit-view';
import { DiffEditor } from '../editor/diff-editor';
import { diffsOf } from './audit-diffs';

/** One entry opened: who and how, the scripts it changed and the entity before and after, and its details. */
@Component({
  selector: 'hl-audit-entry-details',
  imports: [DiffEditor],
  template: `
    <dl class="facts">
      <dt>Actor</dt>
      <dd>{{ entry().actor.name ?? 'nobody' }} <span class="muted">by {{ entry().actor.via }}</span></dd>
      <dt>From</dt>
      <dd>{{ entry().address ?? 'unknown' }} <span class="muted">{{ entry().userAgent ?? '' }}</span></dd>
      @if (entry().entity?.id) {
        <dt>Entity id</dt>
        <dd><code>{{ entry().entity?.id }}</code></dd>
      }
    </dl>
    @for (diff of diffs(); track diff.label) {
      <h3>{{ diff.label }}</h3>
      <hl-diff-editor [original]="diff.original" [modified]="diff.modified" [kind]="diff.kind" [label]="diff.label + ' of ' + entry().action" height="16rem" />
    }
    @if (hasDetails()) {
      <h3>Details</h3>
      <pre data-testid="audit-details">{{ detailsText() }}</pre>
    }
  `,
  styles: `
    .facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; margin: 0 0 0.5rem; }
    dt { color: var(--muted); }
    dd { margin: 0; overflow-wrap: anywhere; }
    h3 { font-size: 0.95rem; margin: 0.8rem 0 0.3rem; }
    pre { background: var(--surface); border: 1px solid var(--border); padding: 0.5rem; overflow: auto; max-height: 20rem; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AuditEntryDetails {
  readonly entry = input.required<AuditEntryView>();
  protected readonly diffs = computed(() => diffsOf(this.entry()));
  protected readonly hasDetails = computed(() => Object.keys(this.entry().details).length > 0);
  protected readonly detailsText = computed(() => JSON.stringify(this.entry().details, null, 2));
}
