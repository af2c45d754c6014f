import type { AuditEntryView } from '../../../../server/src/audit/audit-view';
import type { EditorKind } from '../editor/editor-kind';

/** One before/after pair an entry's details show in a diff editor. */
export interface AuditDiff {
  label: string;
  kind: EditorKind;
  original: string;
  modified: string;
}

/** The script fields of the entities the log keeps, and how the editor reads each. */
const SCRIPT_FIELDS: ReadonlyArray<[field: string, kind: EditorKind, label: string]> = [
  ['matchScript', 'match', 'Match script'],
  ['script', 'function', 'Script'],
  ['condition', 'condition', 'Condition'],
];

/** The scripts an entry changed, each as its own diff, then the whole entity as JSON; none without a before or after. */
export function diffsOf(entry: AuditEntryView): AuditDiff[] {
  if (entry.before === null && entry.after === null) return [];
  const diffs: AuditDiff[] = [];
  for (const [field, kind, label] of SCRIPT_FIELDS) {
    const original = textAt(entry.before, field);
    const modified = textAt(entry.after, field);
    if ((original !== null || modified !== null) && original !== modified) diffs.push({ label, kind, original: original ?? '', modified: modified ?? '' });
  }
  diffs.push({ label: 'Before and after', kind: 'json', original: asJson(entry.before), modified: asJson(entry.after) });
  return diffs;
}

function textAt(value: unknown, field: string): string | null {
  const text = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[field] : undefined;
  return typeof text === 'string' ? text : null;
}

function asJson(value: unknown): string {
  return value === null || value === undefined ? '' : JSON.stringify(value, null, 2);
}
