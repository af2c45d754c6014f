import type { ScmPollTrigger } from '../scm-poll';

/** What placeholders in an automation's command, URL, headers, body or params can refer to. */
export interface TemplateContext {
  /** `payload` is the parsed request body; `payloadPath` is where the full payload file lives for this target. */
  webhook: { payload: unknown; payloadPath: string | null };
  /** The provider's normalized event, or null when none was produced. */
  event: Record<string, unknown> | null;
  message: { id: string | null };
  vars: Record<string, unknown>;
  /** What a poll-triggered run carries (`{{scmPoll.newSha}}` and the like); null or absent for other runs. */
  scmPoll?: ScmPollTrigger | null;
}

export interface Rendered {
  value: string;
  /** One line per distinct placeholder that rendered empty or could not be resolved. */
  warnings: string[];
}

/** One `{{ root.path | filter }}` in a template. */
export interface Placeholder {
  /** The dotted name with spaces removed, e.g. `webhook.ref`. */
  name: string;
  /** Filters after `|`, e.g. `['option']`. */
  filters: string[];
  /** Where the placeholder starts and ends in the template. */
  start: number;
  end: number;
}

export interface RenderOptions {
  /**
   * Turns each resolved value into the text that is inserted (quoting, encoding). `before` is what
   * the template rendered to so far, for rules that depend on where the value lands.
   */
  transform?: (value: string, placeholder: Placeholder, before: string) => string;
}

/** Filters a placeholder may carry. `option` marks a command argument that may start with "-". */
export const FILTERS = ['option'] as const;

const ROOTS = ['webhook', 'event', 'message', 'vars', 'scmPoll'] as const;
type Root = (typeof ROOTS)[number];

// Anything between `{{` and the next `}}` that contains no brace; an unclosed `{{` never matches.
const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;

/** Every placeholder of a template, in order, exactly where the renderer will find them. */
export function placeholdersIn(template: string): Placeholder[] {
  return [...template.matchAll(PLACEHOLDER)].map((match) => parsePlaceholder(match[1] ?? '', match.index, match.index + match[0].length));
}

/** How a placeholder is written back in messages: `{{webhook.ref}}`, `{{webhook.flag | option}}`. */
export function placeholderText(placeholder: Pick<Placeholder, 'name' | 'filters'>): string {
  return `{{${[placeholder.name, ...placeholder.filters].join(' | ')}}}`;
}

/** The first filter of a template that is not one of FILTERS, as a sentence, or null. */
export function unknownFilterError(template: string): string | null {
  for (const placeholder of placeholdersIn(template)) {
    const unknown = placeholder.filters.find((filter) => !(FILTERS as readonly string[]).includes(filter));
    if (unknown !== undefined) return unknownFilterMessage(placeholder, unknown);
  }
  return null;
}

function unknownFilterMessage(placeholder: Placeholder, filter: string): string {
  return `${placeholderText(placeholder)} uses an unknown filter "${filter}"; the only filter is "${FILTERS.join('", "')}"`;
}

function parsePlaceholder(inner: string, start: number, end: number): Placeholder {
  const [path = '', ...filters] = inner.split('|');
  // `{{ webhook . ref }}` and `{{webhook.ref}}` are the same placeholder, reported once.
  const name = path
    .split('.')
    .map((segment) => segment.trim())
    .join('.');
  return { name, filters: filters.map((filter) => filter.trim()), start, end };
}

/**
 * Replaces `{{ root.path }}` placeholders in one string. Never throws: anything that cannot be
 * resolved renders as an empty string and adds a warning. Substituted text is not rendered again.
 */
export function renderTemplate(template: string, context: TemplateContext, options: RenderOptions = {}): Rendered {
  const warnings = new Warnings();
  const value = renderInto(template, context, options, warnings);
  return { value, warnings: warnings.list() };
}

/**
 * Renders every string inside `value` (objects and arrays, deeply), as for params and headers.
 * Keys and non-string leaves are kept; the input is not modified. Warnings are shared, so a
 * placeholder used in two headers is reported once.
 */
export function renderAll<T>(value: T, context: TemplateContext, options: RenderOptions = {}): { value: T; warnings: string[] } {
  const warnings = new Warnings();
  const copies = new Map<object, unknown>();
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') return renderInto(node, context, options, warnings);
    if (typeof node !== 'object' || node === null) return node;
    const seen = copies.get(node);
    if (seen !== undefined) return seen;
    if (Array.isArray(node)) {
      const copy: unknown[] = [];
      copies.set(node, copy);
      for (const item of node) copy.push(walk(item));
      return copy;
    }
    if (!isPlainObject(node)) return node;
    const copy: Record<string, unknown> = {};
    copies.set(node, copy);
    for (const [key, item] of Object.entries(node)) copy[key] = walk(item);
    return copy;
  };
  return { value: walk(value) as T, warnings: warnings.list() };
}

function renderInto(template: string, context: TemplateContext, options: RenderOptions, warnings: Warnings): string {
  let out = '';
  let from = 0;
  for (const placeholder of placeholdersIn(template)) {
    out += template.slice(from, placeholder.start);
    from = placeholder.end;
    const unknown = placeholder.filters.find((filter) => !(FILTERS as readonly string[]).includes(filter));
    if (unknown !== undefined) warnings.add(unknownFilterMessage(placeholder, unknown));
    const text = resolvePlaceholder(placeholder.name, context, warnings);
    out += options.transform ? options.transform(text, placeholder, out) : text;
  }
  return out + template.slice(from);
}

function resolvePlaceholder(name: string, context: TemplateContext, warnings: Warnings): string {
  const placeholder = `{{${name}}}`;
  const [root, ...path] = name.split('.');
  if (!isRoot(root)) {
    const shown = root === '' ? 'an empty name' : `unknown root "${root}"`;
    warnings.add(`${placeholder} uses ${shown}; valid roots are ${ROOTS.join(', ')}`);
    return '';
  }
  if (path.length === 0) {
    warnings.add(`${placeholder} names no field; write ${root}.<field>, e.g. ${exampleFor(root)}`);
    return '';
  }
  if (path.some((segment) => segment === '')) {
    warnings.add(`${placeholder} has an empty path segment`);
    return '';
  }
  const value = lookup(root, path, context);
  if (value === undefined || value === null) {
    warnings.add(`${placeholder} has no value`);
    return '';
  }
  const text = stringify(value);
  if (text === undefined) {
    warnings.add(`${placeholder} could not be rendered as text`);
    return '';
  }
  return text;
}

function lookup(root: Root, path: string[], context: TemplateContext): unknown {
  switch (root) {
    case 'webhook': {
      const [first, ...rest] = path;
      // `payload` and `payloadPath` are reserved; a payload field with either name is `webhook.payload.<name>`.
      if (first === 'payloadPath') return rest.length === 0 ? context.webhook.payloadPath : undefined;
      if (first === 'payload') return rest.length === 0 ? wholePayload(context.webhook.payload) : valueAt(context.webhook.payload, rest);
      return valueAt(context.webhook.payload, path);
    }
    case 'event':
      return valueAt(context.event, path);
    case 'message':
      return valueAt(context.message, path);
    case 'vars':
      return valueAt(context.vars, path);
    case 'scmPoll':
      return valueAt(context.scmPoll ?? null, path);
  }
}

/** The whole payload as JSON, even when it is a bare string or number. */
function wholePayload(payload: unknown): string | undefined {
  if (payload === undefined || payload === null) return undefined;
  try {
    return JSON.stringify(payload);
  } catch {
    return undefined;
  }
}

/** Follows own properties and array indexes only, so `constructor` or `__proto__` never reach the prototype. */
function valueAt(start: unknown, path: string[]): unknown {
  let current = start;
  for (const segment of path) {
    if (Array.isArray(current)) {
      if (!/^\d+$/.test(segment)) return undefined;
      current = current[Number(segment)];
    } else if (typeof current === 'object' && current !== null && Object.prototype.hasOwnProperty.call(current, segment)) {
      current = (current as Record<string, unknown>)[segment];
    } else {
      return undefined;
    }
  }
  return current;
}

function stringify(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'object':
      try {
        return JSON.stringify(value);
      } catch {
        return undefined; // a cycle or a bigint inside
      }
    default:
      return undefined; // functions and symbols never come from JSON
  }
}

function isRoot(name: string): name is Root {
  return (ROOTS as readonly string[]).includes(name);
}

function exampleFor(root: Root): string {
  switch (root) {
    case 'webhook':
      return '{{webhook.payload}} or {{webhook.ref}}';
    case 'event':
      return '{{event.type}}';
    case 'message':
      return '{{message.id}}';
    case 'vars':
      return '{{vars.name}}';
    case 'scmPoll':
      return '{{scmPoll.newSha}}';
  }
}

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Keeps first-seen order and drops repeats, so each distinct placeholder is reported once. */
class Warnings {
  private readonly seen = new Set<string>();
  add(warning: string): void {
    this.seen.add(warning);
  }
  list(): string[] {
    return [...this.seen];
  }
}
