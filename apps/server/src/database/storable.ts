import type { EntityMetadata } from 'typeorm';

/**
 * What stands in for a character PostgreSQL refuses. text and jsonb columns refuse U+0000, and
 * jsonb also refuses a lone UTF-16 surrogate (which `JSON.parse('"\\ud800"')` yields). Request
 * data, script results, logs and command output can carry both; the raw body stays exact bytes.
 */
export const REPLACEMENT_CHARACTER = '\ufffd';

// eslint-disable-next-line no-control-regex -- U+0000 is the very character being replaced
const REFUSED_IN_TEXT = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

// In JSON.stringify's output these appear only as escapes (a well-formed pair is written as is);
// the lookbehind skips an escaped backslash followed by the letters "u0000".
const REFUSED_IN_JSON = /(?<!\\)((?:\\\\)*)\\u(?:0000|d[89a-f][0-9a-f]{2})/gi;

const HAS_REFUSED_TEXT = new RegExp(REFUSED_IN_TEXT.source);

/**
 * Where in a parsed JSON value the first string (key or value) holding a character PostgreSQL
 * refuses sits, as a dotted path (`target.url`, `items.2`); null when there is none. Walks with
 * its own stack, so deeply nested input cannot exhaust the call stack.
 */
export function findRefusedText(value: unknown): string | null {
  // Each entry links to its parent, so a path is spelled out only for the one string that is found.
  interface Step {
    node: unknown;
    key: string | null;
    parent: Step | null;
  }
  const pathOf = (step: Step): string => {
    const keys: string[] = [];
    for (let at: Step | null = step; at !== null && at.key !== null; at = at.parent) keys.push(at.key);
    return keys.length === 0 ? '(the whole body)' : keys.reverse().join('.');
  };
  const stack: Step[] = [{ node: value, key: null, parent: null }];
  for (let step = stack.pop(); step !== undefined; step = stack.pop()) {
    const { node } = step;
    if (typeof node === 'string') {
      if (HAS_REFUSED_TEXT.test(node)) return pathOf(step);
    } else if (typeof node === 'object' && node !== null) {
      for (const [key, child] of Object.entries(node).reverse()) {
        const childStep: Step = { node: child, key, parent: step };
        if (HAS_REFUSED_TEXT.test(key)) return pathOf(childStep);
        stack.push(childStep);
      }
    }
  }
  return null;
}

export function storableText(text: string): string {
  return text.replace(REFUSED_IN_TEXT, REPLACEMENT_CHARACTER);
}

/** The value as JSON text PostgreSQL accepts as jsonb: a raw SQL parameter, serialised once. */
export function storableJsonText(value: unknown): string | null {
  const json = JSON.stringify(value);
  return json === undefined ? null : json.replace(REFUSED_IN_JSON, '$1\\ufffd');
}

/** The value itself when PostgreSQL accepts it as jsonb, else a copy with every refused character (keys too) replaced. */
export function storableJson<T>(value: T): T {
  const json = JSON.stringify(value);
  if (json === undefined) return value;
  const replaced = json.replace(REFUSED_IN_JSON, '$1\\ufffd');
  return replaced === json ? value : (JSON.parse(replaced) as T);
}

/**
 * The values to write with every text and jsonb column made acceptable to PostgreSQL. Every
 * repository that writes data from requests, scripts or commands passes its rows through here.
 */
export function storableColumns<T extends object>(metadata: EntityMetadata, values: T): T {
  const result = { ...values } as Record<string, unknown>;
  for (const column of metadata.columns) {
    const value = result[column.propertyName];
    if (value === undefined || value === null) continue;
    if (column.type === 'jsonb') result[column.propertyName] = storableJson(value);
    else if (column.type === 'text' && typeof value === 'string') result[column.propertyName] = storableText(value);
  }
  return result as T;
}
