import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { type ApiError, toApiError } from '../api/api-error';
import { ErrorBanner } from '../shared/error-banner';
import type { ParkedTask, TaskWait } from './runner-types';
import { RunnersApi } from './runners.api';
import { IfRole } from '../shared/if-role';

/** Parked tasks with what each waits for and since when, with Resume and Message (docs/runners.md). */
@Component({
  selector: 'hl-parked-tasks',
  imports: [IfRole, DatePipe, FormsModule, ErrorBanner],
  template: `
    <section aria-labelledby="parked-heading">
      <h2 id="parked-heading">Parked tasks</h2>
      <hl-error-banner [error]="error()" />
      @if (status()) { <p role="status">{{ status() }}</p> }
      @if (tasks(); as list) {
        @if (list.length === 0) {
          <p class="muted">No task is parked.</p>
        } @else {
          <table class="runner-table">
            <thead><tr><th scope="col">Task</th><th scope="col">Waits for</th><th scope="col">Since</th><th scope="col">Deadline</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
            <tbody>
              @for (t of list; track t.id) {
                <tr>
                  <th scope="row">{{ t.name }} <span class="muted">({{ t.id }})</span></th>
                  <td>@for (w of t.waitFor ?? []; track $index) { <div><code>{{ describe(w) }}</code></div> }</td>
                  <td><time [attr.datetime]="t.parkedAt">{{ t.parkedAt | date: 'medium' }}</time></td>
                  <td><time [attr.datetime]="t.waitUntil">{{ t.waitUntil | date: 'medium' }}</time> ({{ t.onTimeout }})</td>
                  <td class="actions-cell">
                    <input type="text" [(ngModel)]="drafts[t.id]" [attr.aria-label]="'Message for ' + t.name" placeholder="Message" />
                    <button *hlIfRole="'editor'" type="button" (click)="message(t)" [disabled]="busy() || !drafts[t.id]">Message</button>
                    <button *hlIfRole="'editor'" type="button" (click)="resume(t)" [disabled]="busy()" [attr.aria-label]="'Resume ' + t.name">Resume</button>
                  </td>
                </tr>
              }
            </tbody>
          </table>
        }
      }
    </section>
  `,
  styleUrls: ['../shared/form-page.css'],
  styles: `
    .runner-table { width: 100%; border-collapse: collapse; }
    .runner-table th, .runner-table td { text-align: left; padding: 0.45rem 0.5rem; border-bottom: 1px solid var(--border); overflow-wrap: anywhere; }
    .actions-cell { text-align: right; }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ParkedTasks {
  private readonly api = inject(RunnersApi);
  protected readonly tasks = signal<ParkedTask[] | undefined>(undefined);
  protected readonly error = signal<ApiError | undefined>(undefined);
  protected readonly status = signal('');
  protected readonly busy = signal(false);
  /** Message drafts by task id. */
  protected drafts: Record<string, string> = {};

  constructor() {
    void this.load();
  }

  protected describe(wait: TaskWait): string {
    const pins = [wait.repository && `on ${wait.repository}`, wait.branch && `branch ${wait.branch}`, wait.pullRequest && `#${wait.pullRequest}`, wait.issue != null && `issue ${wait.issue}`, wait.where && `where ${wait.where}`];
    return [wait.key, ...pins.filter(Boolean)].join(' ');
  }

  protected resume(task: ParkedTask): Promise<void> {
    return this.act(async () => {
      const text = this.drafts[task.id]?.trim();
      await this.api.resumeTask(task.id, text || undefined);
      delete this.drafts[task.id];
      return `Resumed ${task.name}: it is queued for the next claim.`;
    });
  }

  protected message(task: ParkedTask): Promise<void> {
    return this.act(async () => {
      await this.api.messageTask(task.id, this.drafts[task.id].trim());
      delete this.drafts[task.id];
      return `Sent the message to ${task.name}'s inbox.`;
    });
  }

  private async act(work: () => Promise<string>): Promise<void> {
    this.busy.set(true);
    this.error.set(undefined);
    try {
      this.status.set(await work());
      await this.load();
    } catch (err) {
      this.error.set(toApiError(err));
    } finally {
      this.busy.set(false);
    }
  }

  private async load(): Promise<void> {
    try {
      this.tasks.set(await this.api.parkedTasks());
    } catch (err) {
      this.error.set(toApiError(err));
    }
  }
}
