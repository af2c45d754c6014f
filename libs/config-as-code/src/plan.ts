import { type ConfigDocument, ConfigFileError, type Entry, entryKey, type Section, SECTIONS } from './config-document';
import { secretSlots, toEntry } from './entries';
import { SECTION_LABELS, type ServerState, type View } from './server-state';

export interface PlanOptions {
  /** Delete what the server has and the file does not, in the sections the file has. */
  prune: boolean;
  /** Send secrets the server already holds again (the API never says what they are, so they cannot be compared). */
  updateSecrets: boolean;
}

/** One field that changes; a secret says only `set`, `replaced` or `removed`, never a value. */
export interface FieldChange {
  field: string;
  from?: unknown;
  to?: unknown;
  secret?: 'set' | 'replaced' | 'removed';
}

export interface PlannedChange {
  action: 'create' | 'update' | 'delete';
  section: Section;
  kind: string;
  /** The name, or `provider / name` for a function. */
  key: string;
  /** What changes: every field for a create, the changed ones for an update, none for a delete. */
  fields: FieldChange[];
}

export interface Plan {
  changes: PlannedChange[];
  /** The providers' new priority order, when it changes (names, first tried first). */
  order: { from: string[]; to: string[] } | null;
}

/** A planned change with what applying it needs; kept apart so that plans print and serialise clean. */
export interface Step {
  change: PlannedChange;
  entry?: Entry;
  view?: View;
  /** Top-level fields an update sends. */
  send: string[];
}

/** Fields whose value is a map compared as a whole: a key the file drops is a change. */
const WHOLE_VALUES = new Set(['properties', 'options', 'headers', 'params', 'descriptor', 'fixedAnswer', 'events', 'automations']);

/**
 * What applying `document` to a server in `state` would do. Fields an entry leaves out are left
 * as the server has them; secrets are sent when the server has none, when the file removes one
 * (null), and with `updateSecrets`.
 */
export function planConfig(document: ConfigDocument, state: ServerState, options: PlanOptions): { plan: Plan; steps: Step[] } {
  checkReferences(document, state, options);
  const steps: Step[] = [];
  for (const section of SECTIONS) {
    const entries = document[section];
    if (!entries) continue;
    const existing = indexByKey(section, state);
    for (const entry of entries) {
      const key = entryKey(section, entry);
      const view = existing.get(key);
      steps.push(view ? planUpdate(section, key, entry, view, state, options) : planCreate(section, key, entry));
    }
  }
  const deletions: Step[] = [];
  if (options.prune) {
    // Those that others refer to go last: endpoints and functions before providers and automations.
    for (const section of [...SECTIONS].reverse()) {
      const entries = document[section];
      if (!entries) continue;
      const wanted = new Set(entries.map((entry) => entryKey(section, entry)));
      for (const [key, view] of indexByKey(section, state)) {
        if (!wanted.has(key)) deletions.push({ change: { action: 'delete', section, kind: SECTION_LABELS[section], key, fields: [] }, view, send: [] });
      }
    }
  }
  const changing = steps.filter((step) => step.change.action === 'create' || step.change.fields.length > 0);
  const all = [...changing, ...deletions];
  return { plan: { changes: all.map((step) => step.change), order: planOrder(document, state, deletions) }, steps: all };
}

function planCreate(section: Section, key: string, entry: Entry): Step {
  const fields: FieldChange[] = [];
  for (const [field, value] of Object.entries(entry)) {
    if (field === 'name') continue;
    fields.push(...splitSecrets(section, field, value, undefined, true));
  }
  return { change: { action: 'create', section, kind: SECTION_LABELS[section], key, fields }, entry, send: Object.keys(entry) };
}

function planUpdate(section: Section, key: string, entry: Entry, view: View, state: ServerState, options: PlanOptions): Step {
  const current = toEntry(section, view, state);
  const slots = new Map(secretSlots(section, view).map((slot) => [slot.field, slot.configured]));
  const fields: FieldChange[] = [];
  const send = new Set<string>();
  for (const [field, value] of Object.entries(entry)) {
    if (field === 'name' || (section === 'functions' && field === 'provider')) continue;
    const changes = splitSecrets(section, field, value, current[field], false, slots, options.updateSecrets);
    if (changes.length > 0) send.add(field);
    fields.push(...changes);
  }
  return { change: { action: 'update', section, kind: SECTION_LABELS[section], key, fields }, entry, view, send: [...send] };
}

/**
 * The changes of one top-level field, with the secrets inside it (a provider's or endpoint's
 * `verification.secret`, a git provider's `token`, a provider's `secretProperties`) told apart
 * from its plain settings.
 */
function splitSecrets(
  section: Section,
  field: string,
  value: unknown,
  current: unknown,
  creating: boolean,
  slots: Map<string, boolean> = new Map(),
  updateSecrets = false,
): FieldChange[] {
  const secret = (name: string, wanted: unknown): FieldChange[] => {
    const change = secretChange(wanted, creating ? false : slots.get(name) === true, updateSecrets);
    return change ? [{ field: name, secret: change }] : [];
  };
  if (section === 'gitProviders' && field === 'token') return secret('token', value);
  if ((section === 'providers' || section === 'endpoints') && field === 'verification' && isRecord(value)) {
    const { secret: wanted, ...plain } = value;
    const changes = 'secret' in value ? secret('verification.secret', wanted) : [];
    const before = isRecord(current) ? current : {};
    for (const [name, setting] of Object.entries(plain)) {
      if (creating || !sameValue(name, setting, before[name])) changes.unshift({ field: `verification.${name}`, ...(creating ? {} : { from: before[name] }), to: setting });
    }
    return changes;
  }
  if (section === 'providers' && field === 'secretProperties' && isRecord(value)) {
    const changes = Object.entries(value).flatMap(([name, wanted]) => secret(`secretProperties.${name}`, wanted));
    // The file lists the whole set: a name the server has and the file does not is removed.
    for (const [name, configured] of slots) {
      if (configured && name.startsWith('secretProperties.') && !(name.slice('secretProperties.'.length) in value)) changes.push({ field: name, secret: 'removed' });
    }
    return changes;
  }
  if (creating) return [{ field, to: value }];
  return sameValue(field, value, current) ? [] : [{ field, from: current, to: value }];
}

function secretChange(wanted: unknown, configured: boolean, updateSecrets: boolean): FieldChange['secret'] | undefined {
  if (wanted === undefined) return undefined;
  if (wanted === null) return configured ? 'removed' : undefined;
  if (!configured) return 'set';
  return updateSecrets ? 'replaced' : undefined;
}

/**
 * Whether the file's value is what the server has. Objects compare on the keys the file names
 * (the server fills in defaults), except maps and lists, which compare whole.
 */
function sameValue(field: string, wanted: unknown, actual: unknown): boolean {
  if (WHOLE_VALUES.has(field)) return canonical(wanted ?? emptyOf(actual)) === canonical(actual ?? emptyOf(wanted));
  if (Array.isArray(wanted)) {
    return Array.isArray(actual) && wanted.length === actual.length && wanted.every((item, index) => sameValue('', item, actual[index]));
  }
  if (isRecord(wanted)) return isRecord(actual) && Object.entries(wanted).every(([key, value]) => sameValue(key, value, actual[key]));
  return wanted === actual || (wanted === null && actual === undefined);
}

function emptyOf(other: unknown): unknown {
  return Array.isArray(other) ? [] : isRecord(other) ? {} : null;
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    isRecord(item) && !Array.isArray(item) ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : item,
  );
}

function planOrder(document: ConfigDocument, state: ServerState, deletions: Step[]): Plan['order'] {
  if (!document.providers) return null;
  const deleted = new Set(deletions.filter((step) => step.change.section === 'providers').map((step) => step.change.key));
  const listed = document.providers.map((entry) => entry.name);
  const existing = state.providers.map((view) => view.name).filter((name) => !deleted.has(name));
  // A provider the import creates takes its place after the last one.
  const from = [...existing, ...listed.filter((name) => !existing.includes(name))];
  const to = [...listed, ...from.filter((name) => !listed.includes(name))];
  const unchanged = to.length === from.length && to.every((name, index) => name === from[index]);
  return unchanged ? null : { from, to };
}

function indexByKey(section: Section, state: ServerState): Map<string, View> {
  const byKey = new Map<string, View>();
  for (const view of state[section]) {
    const key = entryKey(section, section === 'functions' ? (toEntry(section, view, state) as Entry & { provider: string }) : view);
    if (byKey.has(key)) throw new ConfigFileError(`the server has two ${SECTION_LABELS[section]}s named ${JSON.stringify(key)}; rename one (entities are matched by name)`);
    byKey.set(key, view);
  }
  return byKey;
}

/** Every name a function or endpoint refers to is in the file, or on the server and kept. */
function checkReferences(document: ConfigDocument, state: ServerState, options: PlanOptions): void {
  const available = (section: 'providers' | 'automations') => {
    const names = new Set((document[section] ?? []).map((entry) => entry.name));
    if (!(options.prune && document[section])) for (const view of state[section]) names.add(view.name);
    return names;
  };
  const providers = available('providers');
  const automations = available('automations');
  for (const section of ['functions', 'endpoints'] as const) {
    for (const [index, entry] of (document[section] ?? []).entries()) {
      if (section === 'functions' && !providers.has(String(entry.provider))) {
        throw new ConfigFileError(`${section}[${index}].provider: no provider named ${JSON.stringify(entry.provider)} in the file or on the server`);
      }
      if (entry.automations === undefined) continue;
      if (!Array.isArray(entry.automations) || entry.automations.some((name) => typeof name !== 'string')) {
        throw new ConfigFileError(`${section}[${index}].automations: must be a list of automation names`);
      }
      const unknown = (entry.automations as string[]).find((name) => !automations.has(name));
      if (unknown !== undefined) throw new ConfigFileError(`${section}[${index}].automations: no automation named ${JSON.stringify(unknown)} in the file or on the server`);
    }
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
