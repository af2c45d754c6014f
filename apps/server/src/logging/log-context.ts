import { AsyncLocalStorage } from 'node:async_hooks';

/** What a log line is about: set around a message's or a run's work, read by every line written meanwhile. */
export interface LogFields {
  messageId?: string;
  providerId?: string;
  /** For a delivery to a secret-token endpoint, which has no provider. */
  endpointId?: string;
  functionId?: string;
  automationId?: string;
  runId?: string;
  traceId?: string;
}

const storage = new AsyncLocalStorage<LogFields>();

/** Runs `work` with `fields` (added to those already in force) on every log line it causes. */
export function withLogContext<T>(fields: LogFields, work: () => T): T {
  return storage.run({ ...storage.getStore(), ...fields }, work);
}

/** Adds fields learnt midway (the provider, once identified) to the context in force, if any. */
export function addLogFields(fields: LogFields): void {
  const store = storage.getStore();
  if (store) Object.assign(store, fields);
}

/** The fields in force here; an empty object outside any context. */
export function logFields(): LogFields {
  return storage.getStore() ?? {};
}
