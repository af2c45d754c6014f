import { Injectable, inject } from '@angular/core';
import { ApiClient } from '../api/api-client';
import type { CreatedRunner, ParkedTask, Runner } from './runner-types';

/** The runner token routes of the admin API. */
@Injectable({ providedIn: 'root' })
export class RunnersApi {
  private readonly api = inject(ApiClient);

  list(): Promise<Runner[]> {
    return this.api.get<Runner[]>('/runners');
  }

  /** Registers a runner, scoped to `providers` (null: every provider); the answer holds its token, which the server never sends again. */
  create(name: string, providers: string[] | null): Promise<CreatedRunner> {
    return this.api.post<CreatedRunner>('/runners', { name, providers });
  }

  /** Revokes the runner's token at once. */
  revoke(id: string): Promise<void> {
    return this.api.delete(`/runners/${encodeURIComponent(id)}`);
  }

  /** Parked tasks, oldest first, with what each waits for. */
  parkedTasks(): Promise<ParkedTask[]> {
    return this.api.get<ParkedTask[]>('/tasks?state=parked');
  }

  /** Queues a parked task again; the message also goes to its inbox. */
  resumeTask(id: string, message?: string): Promise<unknown> {
    return this.api.post(`/tasks/${encodeURIComponent(id)}/resume`, message === undefined ? {} : { message });
  }

  /** Adds a message to a task's inbox. */
  messageTask(id: string, text: string): Promise<unknown> {
    return this.api.post(`/tasks/${encodeURIComponent(id)}/messages`, { text });
  }
}
