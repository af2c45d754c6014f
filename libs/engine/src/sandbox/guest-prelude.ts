import type { ScriptKind } from '../script-types';

/** Log entries kept per function run; one more entry notes that later ones were dropped. */
export const LOG_ENTRY_LIMIT = 1000;
/** Characters kept per log message; longer messages end with a truncation note. */
export const LOG_MESSAGE_LIMIT = 8 * 1024;

interface ScriptShape {
  filename: string;
  isAsync: boolean;
  params: readonly string[];
  /** The function body `new Function` would be given for this source. */
  toBody(source: string): string;
}

const SHAPES: Record<ScriptKind, ScriptShape> = {
  match: {
    filename: 'match.js',
    isAsync: false,
    params: ['request', 'provider'],
    toBody: (source) => source,
  },
  condition: {
    filename: 'condition.js',
    isAsync: false,
    // `payload` is not a parameter: the runtime serves it from a lazy global getter, so a
    // condition that never reads it costs no JSON parse.
    params: ['provider', 'eventType', 'method', 'headers', 'query', 'body'],
    // A trailing semicolon is a natural thing to type after an expression; drop it.
    toBody: (source) => ' return (' + source.replace(/[\s;]+$/, '') + '\n); ',
  },
  function: {
    filename: 'function.js',
    isAsync: true,
    params: ['request', 'message', 'provider', 'eventType', 'log', 'respond', 'http'],
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

/**
 * The guest half of the runtime, compiled once per isolate and evaluated once per script
 * context. It evaluates to a factory that receives the compiled script and the host handles
 * as arguments and returns the per-kind runner the host calls. The handles live only in this
 * closure: nothing is put on globalThis, so script code can never reach a Reference.
 *
 * Plain JavaScript on purpose (no template literals inside): it is source text for the guest.
 */
export const PRELUDE_SOURCE = `(function createRuntime(kind, userFn, hostLog, hostRespond, hostFetch, hostPayload, logEntryLimit, logMessageLimit) {
  'use strict';
  // Captured before any script code runs in this context, so a script replacing these
  // globals changes only what it sees itself.
  const parseJson = JSON.parse;
  const stringifyJson = JSON.stringify;
  const objectKeys = Object.keys;
  const defineProperty = Object.defineProperty;
  const NativeError = Error;
  const NativeTypeError = TypeError;
  const NativePromise = Promise;
  const isInteger = Number.isInteger;
  const toText = String;
  const HEADER_NAME = /^[!#$%&'*+.^_\`|~0-9A-Za-z-]+$/;
  const HEADER_VALUE = /^[^\\r\\n\\0]*$/;

  // Options objects without a prototype: isolated-vm reads flags such as \`reference\` by
  // ordinary property lookup, so after \`Object.prototype.reference = true\` a plain literal
  // would turn the copied result into a live Reference to a host object.
  const FETCH_OPTIONS = {
    __proto__: null,
    arguments: { __proto__: null, copy: true },
    result: { __proto__: null, promise: true, copy: true },
  };

  if (typeof userFn !== 'function') throw new NativeTypeError('the script did not compile to a function');

  function formatValue(value) {
    if (typeof value === 'string') return value;
    if (value === undefined) return 'undefined';
    if (typeof value === 'function') return '[Function ' + (value.name || 'anonymous') + ']';
    if (typeof value === 'bigint') return toText(value) + 'n';
    if (typeof value === 'symbol') return value.toString();
    if (value instanceof NativeError) return typeof value.stack === 'string' ? value.stack : toText(value);
    try {
      const text = stringifyJson(value);
      return text === undefined ? toText(value) : text;
    } catch (error) {
      return '[unserialisable: ' + toText(error && error.message) + ']';
    }
  }

  function describeError(error) {
    try {
      if (error instanceof NativeError) {
        return {
          ok: false,
          name: toText(error.name),
          message: toText(error.message),
          stack: typeof error.stack === 'string' ? error.stack : '',
        };
      }
      return { ok: false, name: '', message: 'Uncaught ' + formatValue(error), stack: '' };
    } catch (_) {
      return { ok: false, name: '', message: 'the script threw a value that cannot be described', stack: '' };
    }
  }

  function copyHeaders(source, where) {
    const headers = {};
    if (source === undefined || source === null) return headers;
    if (typeof source !== 'object') throw new NativeTypeError(where + ': headers must be an object of strings');
    const names = objectKeys(source);
    for (let i = 0; i < names.length; i++) {
      const name = names[i];
      const value = toText(source[name]);
      if (!HEADER_NAME.test(name)) throw new NativeTypeError(where + ': invalid header name ' + stringifyJson(name));
      if (!HEADER_VALUE.test(value)) throw new NativeTypeError(where + ': header ' + name + ' contains a line break');
      headers[name] = value;
    }
    return headers;
  }

  function makeRequest(meta, body) {
    let json = null;
    let isJsonRead = !meta.hasJson;
    const request = {
      method: meta.method,
      uri: meta.uri,
      path: meta.path,
      headers: meta.headers,
      query: meta.query,
      body: body,
      form: meta.form,
    };
    // Parsed on first read: most scripts look at a header or two and never need the body.
    defineProperty(request, 'json', {
      enumerable: true,
      configurable: true,
      get() {
        if (!isJsonRead) {
          isJsonRead = true;
          // A byte order mark is valid in a JSON document but not to JSON.parse.
          const text = body.charCodeAt(0) === 0xfeff ? body.slice(1) : body;
          try { json = parseJson(text); } catch (_) { json = null; }
        }
        return json;
      },
      set(value) {
        isJsonRead = true;
        json = value;
      },
    });
    return request;
  }

  function makeLog(run) {
    function write(level, args) {
      if (run.logCount >= logEntryLimit) {
        if (!run.isLogLimitNoted) {
          run.isLogLimitNoted = true;
          hostLog(run.id, 'warn', 'log limit of ' + logEntryLimit + ' entries reached; later entries were dropped');
        }
        return;
      }
      run.logCount++;
      let message = '';
      for (let i = 0; i < args.length; i++) message += (i === 0 ? '' : ' ') + formatValue(args[i]);
      if (message.length > logMessageLimit) {
        message = message.slice(0, logMessageLimit) + '... [truncated ' + (message.length - logMessageLimit) + ' characters]';
      }
      hostLog(run.id, level, message);
    }
    return {
      info(...args) { write('info', args); },
      warn(...args) { write('warn', args); },
      error(...args) { write('error', args); },
    };
  }

  function makeRespond(run) {
    return function respond(response) {
      const init = response === undefined || response === null ? {} : response;
      if (typeof init !== 'object') throw new NativeTypeError('respond() expects an object like { status, headers, body }');
      const status = init.status === undefined ? 200 : init.status;
      if (!isInteger(status) || status < 100 || status > 599) {
        throw new NativeTypeError('respond(): status must be an integer from 100 to 599, got ' + formatValue(status));
      }
      const headers = copyHeaders(init.headers, 'respond()');
      const body = init.body;
      let isText = false;
      let text;
      if (typeof body === 'string') {
        isText = true;
        text = body;
      } else if (body !== undefined && body !== null) {
        try { text = stringifyJson(body); } catch (error) {
          throw new NativeTypeError('respond(): body cannot be serialised as JSON: ' + toText(error && error.message));
        }
      }
      if (run.hasResponded) return false;
      run.hasResponded = true;
      hostRespond(run.id, status, headers, isText, text);
      return true;
    };
  }

  async function fetchThroughHost(run, url, init) {
    const options = init === undefined || init === null ? {} : init;
    if (typeof options !== 'object') throw new NativeTypeError('http.fetch(url, options): options must be an object');
    const request = { url: toText(url), headers: copyHeaders(options.headers, 'http.fetch()') };
    if (options.method !== undefined) request.method = toText(options.method).toUpperCase();
    if (options.body !== undefined && options.body !== null) {
      if (typeof options.body !== 'string') {
        throw new NativeTypeError('http.fetch(): body must be a string; use JSON.stringify(...) for JSON');
      }
      request.body = options.body;
    }
    const outcome = await hostFetch.apply(undefined, [run.id, request], FETCH_OPTIONS);
    if (!outcome.ok) throw new NativeError(toText(outcome.error));
    const status = outcome.value.status;
    const body = outcome.value.body;
    return {
      status: status,
      ok: status >= 200 && status < 300,
      headers: outcome.value.headers,
      body: body,
      json() { return parseJson(body); },
    };
  }

  function runMatch(meta, body, provider) {
    try {
      const value = userFn(makeRequest(meta, body), provider);
      if (value instanceof NativePromise) throw new NativeTypeError('a match script must return its answer synchronously, not a promise');
      return { ok: true, value: !!value };
    } catch (error) {
      return describeError(error);
    }
  }

  let payloadState = { runId: 0, isRead: true, value: undefined };
  function runCondition(runId, scope, body) {
    payloadState = { runId: runId, isRead: false, value: undefined };
    try {
      return { ok: true, value: !!userFn(scope.provider, scope.eventType, scope.method, scope.headers, scope.query, body) };
    } catch (error) {
      return describeError(error);
    }
  }

  async function runFunction(runId, meta, body, message, provider, eventType) {
    const run = { id: runId, logCount: 0, isLogLimitNoted: false, hasResponded: false };
    const http = { fetch(url, init) { return fetchThroughHost(run, url, init); } };
    try {
      const value = await userFn(makeRequest(meta, body), message, provider, eventType, makeLog(run), makeRespond(run), http);
      if (value === undefined) return { ok: true };
      let json;
      try { json = stringifyJson(value); } catch (error) {
        throw new NativeTypeError('the return value cannot be serialised as JSON: ' + toText(error && error.message));
      }
      return json === undefined ? { ok: true } : { ok: true, json: json };
    } catch (error) {
      return describeError(error);
    }
  }

  switch (kind) {
    case 'match':
      return runMatch;
    case 'condition':
      defineProperty(globalThis, 'payload', {
        configurable: true,
        get() {
          const state = payloadState;
          if (!state.isRead) {
            state.isRead = true;
            const text = hostPayload(state.runId);
            state.value = text === undefined ? undefined : parseJson(text);
          }
          return state.value;
        },
        set(value) {
          payloadState.isRead = true;
          payloadState.value = value;
        },
      });
      return runCondition;
    case 'function':
      return runFunction;
    default:
      throw new NativeTypeError('unknown script kind ' + kind);
  }
})`;
