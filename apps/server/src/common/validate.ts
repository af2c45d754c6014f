import type { z } from 'zod';
import { ValidationFailedError } from './errors';

/** Parses input with a schema, or throws a 400 naming each bad field. */
export function validate<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  throw new ValidationFailedError(problemsOf(result.error, schema));
}

/** A check the schema cannot make (a compiler, the database): the problem, or undefined when the value is fine. */
export type FieldCheck = (value: unknown) => Promise<string | undefined> | string | undefined;

/**
 * `validate` plus checks by field path (`matchScript`, `verification.scheme`). Each check runs on
 * its field's value when present and accepted by the schema, even when other fields are bad, so
 * one 400 names every bad field rather than the first one found.
 */
export async function validateWith<T extends z.ZodType>(schema: T, input: unknown, checks: Record<string, FieldCheck>): Promise<z.infer<T>> {
  const result = schema.safeParse(input ?? {});
  const fields = result.success ? {} : problemsOf(result.error, schema);
  for (const [path, check] of Object.entries(checks)) {
    const value = valueAt(input, path);
    if (value === undefined || Object.keys(fields).some((field) => field === path || field.startsWith(`${path}.`))) continue;
    const problem = await check(value);
    if (problem !== undefined) fields[path] = problem;
  }
  if (!result.success || Object.keys(fields).length > 0) throw new ValidationFailedError(fields);
  return result.data;
}

function problemsOf(error: z.ZodError, schema: z.ZodType): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      // Each unknown key is named as a field of its own, so a misspelling shows where it is.
      const known = issue.path.length === 0 ? topLevelFields(schema) : [];
      for (const key of issue.keys) {
        fields[[...issue.path, key].join('.')] ??= `is not a field here${known.length ? `; the fields are ${known.join(', ')}` : ''}`;
      }
      continue;
    }
    const field = issue.path.length > 0 ? issue.path.join('.') : 'body';
    fields[field] ??= issue.message;
  }
  return fields;
}

function topLevelFields(schema: z.ZodType): string[] {
  const shape = (schema as { shape?: unknown }).shape;
  return typeof shape === 'object' && shape !== null ? Object.keys(shape) : [];
}

function valueAt(input: unknown, path: string): unknown {
  let value = input;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
