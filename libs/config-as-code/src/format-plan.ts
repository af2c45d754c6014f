import type { FieldChange, Plan } from './plan';

const SIGNS = { create: '+', update: '~', delete: '-' } as const;

/** A plan as lines for a person: one per change, then one per field that changes. */
export function formatPlan(plan: Plan): string[] {
  const lines: string[] = [];
  for (const change of plan.changes) {
    lines.push(`${SIGNS[change.action]} ${change.action} ${change.kind} ${JSON.stringify(change.key)}`);
    for (const field of change.fields) lines.push(`    ${describeField(field, change.action === 'create')}`);
  }
  if (plan.order) lines.push(`~ order providers: ${plan.order.to.join(', ')} (was ${plan.order.from.join(', ') || 'none'})`);
  if (lines.length === 0) lines.push('No changes.');
  return lines;
}

/** Counts per action, for a summary line. */
export function summarisePlan(plan: Plan): string {
  const count = (action: string) => plan.changes.filter((change) => change.action === action).length;
  return `${count('create')} to create, ${count('update')} to update, ${count('delete')} to delete${plan.order ? ', provider order changes' : ''}`;
}

function describeField(field: FieldChange, creating: boolean): string {
  if (field.secret) return `${field.field}: ${field.secret} (secret)`;
  if (creating) return `${field.field}: ${show(field.to)}`;
  if (typeof field.from === 'string' && typeof field.to === 'string' && (field.from.includes('\n') || field.to.includes('\n') || field.to.length > 60)) {
    return `${field.field}: changed (${lineCount(field.from)} → ${lineCount(field.to)} lines)`;
  }
  return `${field.field}: ${show(field.from)} → ${show(field.to)}`;
}

function show(value: unknown): string {
  if (typeof value === 'string' && (value.includes('\n') || value.length > 60)) return `${lineCount(value)} lines`;
  const text = value === undefined ? '(unset)' : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function lineCount(text: string): number {
  return text === '' ? 0 : text.split('\n').length;
}
