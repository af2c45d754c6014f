import type { ScriptKind } from '../script-types';

interface ScriptShape {
  filename: string;
  isAsync: boolean;
  params: readonly string[];
  /** Globals the runtime defines in the script's context besides the parameters. */
  globals: readonly string[];
  /** The function body `new Function` would be given for this source. */
  toBody(source: string): string;
}

const SHAPES: Record<ScriptKind, ScriptShape> = {
  match: {
    filename: 'match.js',
    isAsync: false,
    params: ['request', 'provider'],
    globals: [],
    toBody: (source) => source,
  },
  condition: {
    filename: 'condition.js',
    isAsync: false,
    params: ['provider', 'eventType', 'event', 'method', 'headers', 'query', 'body'],
    // `payload` is not a parameter: the runtime serves it from a lazy global getter, so a
    // condition that never reads it costs no JSON parse.
    globals: ['payload'],
    // A trailing semicolon is a natural thing to type after an expression; drop it.
    toBody: (source) => ' return (' + source.replace(/[\s;]+$/, '') + '\n); ',
  },
  function: {
    filename: 'function.js',
    isAsync: true,
    // New names go last: the runtime passes arguments by position.
    params: ['request', 'message', 'provider', 'eventType', 'event', 'log', 'respond', 'http', 'automations'],
    globals: [],
    toBody: (source) => source,
  },
};

export interface WrappedScript {
  /** A single function expression; evaluating it yields the script as a guest function. */
  code: string;
  filename: string;
  /** Makes columns on line 1 count from the start of the script rather than of the wrapper. */
  columnOffset: number;
  isAsync: boolean;
  params: readonly string[];
  body: string;
}

/**
 * Wraps a script body in a function expression. The header sits on the same line as the
 * body's first line, so line N of a stack trace or syntax error is line N of the script.
 */
export function wrapScript(kind: ScriptKind, source: string): WrappedScript {
  const shape = SHAPES[kind];
  const body = shape.toBody(source);
  const head = '(' + (shape.isAsync ? 'async ' : '') + 'function (' + shape.params.join(', ') + ') {';
  const lead = kind === 'condition' ? head + ' return (' : head;
  return {
    code: head + body + '\n})',
    filename: shape.filename,
    columnOffset: -lead.length,
    isAsync: shape.isAsync,
    params: shape.params,
    body,
  };
}

export function scriptFilename(kind: ScriptKind): string {
  return SHAPES[kind].filename;
}

/** Every name a script of this kind finds in scope: its parameters and the runtime's globals. */
export function scriptScope(kind: ScriptKind): readonly string[] {
  return [...SHAPES[kind].params, ...SHAPES[kind].globals];
}

/**
 * Evaluates to `validateBody(isAsync, params, body)`, run in a context of its own. V8's
 * Function constructor refuses a body that closes its function early ("Single function
 * literal required"), which a plain compile of the wrapper cannot detect: `}); code; (function(){`
 * would otherwise run `code` outside the function when the wrapper is evaluated.
 */
export const VALIDATOR_SOURCE = `(function validateBody(isAsync, params, body) {
  'use strict';
  const Ctor = isAsync ? (async function () {}).constructor : Function;
  try {
    Reflect.construct(Ctor, params.concat([body]));
    return null;
  } catch (error) {
    return String(error && error.message);
  }
})`;
