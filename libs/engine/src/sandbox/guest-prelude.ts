/** Log entries kept per function run; one more entry notes that later ones were dropped. */
export const LOG_ENTRY_LIMIT = 1000;
/** Characters kept per log message; longer messages end with a truncation note. */
export const LOG_MESSAGE_LIMIT = 8 * 1024;
/** Largest `vars` an automation trigger may carry, in bytes of JSON text. */
export const VARS_BYTE_LIMIT = 256 * 1024;
/** What the script is told about vars past the limit, whichever side of the sandbox notices. */
export const VARS_TOO_LARGE = `vars are too large (more than ${VARS_BYTE_LIMIT / 1024} KB as JSON)`;

/**
 * The guest half of the runtime, compiled once per isolate and evaluated once per script
 * context. It evaluates to a factory that receives the compiled script and the host handles
 * as arguments and returns the per-kind runner the host calls. The handles live only in this
 * closure: nothing is put on globalThis, so script code can never reach a Reference.
 *
 * Plain JavaScript on purpose (no template literals inside): it is source text for the guest.
 */
export const PRELUDE_SOURCE = `(function createRuntime(kind, userFn, hostLog, hostRespond, hostFetch, hostPayload, hostTrigger, logEntryLimit, logMessageLimit, varsByteLimit, varsTooLarge, respondBodyLimit, scriptFile) {
  'use strict';
  // Captured before any script code runs in this context, so a script replacing these
  // globals changes only what it sees itself.
  const parseJson = JSON.parse;
  const stringifyJson = JSON.stringify;
  const objectKeys = Object.keys;
  const defineProperty = Object.defineProperty;
  const getPrototypeOf = Object.getPrototypeOf;
  const ObjectPrototype = Object.prototype;
  const isArray = Array.isArray;
  const isFiniteNumber = Number.isFinite;
  const NativeError = Error;
  const NativeTypeError = TypeError;
  const NativePromise = Promise;
  const isInteger = Number.isInteger;
  const toText = String;
  const HEADER_NAME = /^[!#$%&'*+.^_\`|~0-9A-Za-z-]+$/;
  const HEADER_VALUE = /^[\\t\\x20-\\x7e\\x80-\\xff]*$/;
  const IDENTIFIER = /^[A-Za-z_$][\\w$]*$/;

  // Options objects without a prototype: isolated-vm reads flags such as \`reference\` by
  // ordinary property lookup, so a script that set \`Object.prototype.reference = true\` could
  // otherwise change how results cross over, up to receiving a live Reference to a host object.
  const HOST_CALL_OPTIONS = {
    __proto__: null,
    arguments: { __proto__: null, copy: true },
    result: { __proto__: null, promise: true, copy: true },
  };

  if (typeof userFn !== 'function') throw new NativeTypeError('the script did not compile to a function');

  // WebAssembly memory lives outside the V8 heap, so the isolate's memory limit never sees it.
  // Deleted before any script code runs, nothing in this context can reach it again.
  if (!delete globalThis.WebAssembly) throw new NativeTypeError('could not remove WebAssembly from the script context');

  function formatValue(value) {
    if (typeof value === 'string') return value;
    if (value === undefined) return 'undefined';
    if (typeof value === 'function') return '[Function ' + (value.name || 'anonymous') + ']';
    if (typeof value === 'bigint') return toText(value) + 'n';
    if (typeof value === 'symbol') return value.toString();
    if (value instanceof NativeError) return typeof value.stack === 'string' ? scriptStack(value.stack) : toText(value);
    try {
      const text = stringifyJson(value);
      return text === undefined ? toText(value) : text;
    } catch (error) {
      return '[unserialisable: ' + toText(error && error.message) + ']';
    }
  }

  // Keeps the message and the frames in the script itself; the runtime's frames mean nothing to its author.
  function scriptStack(stack) {
    const lines = stack.split('\\n');
    let kept = '';
    for (let i = 0; i < lines.length; i++) {
      if (/^\\s+at /.test(lines[i]) && lines[i].indexOf(scriptFile + ':') === -1) continue;
      kept += (kept === '' ? '' : '\\n') + lines[i];
    }
    return kept;
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
      if (!HEADER_VALUE.test(value)) throw new NativeTypeError(where + ': header ' + name + ' contains a control character or a character past U+00FF');
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

  function utf8Length(text) {
    let bytes = text.length;
    // Every UTF-16 unit is one to three bytes of UTF-8: count exactly only when it matters.
    if (bytes * 3 <= respondBodyLimit) return bytes;
    for (let i = 0; i < text.length; i++) {
      const unit = text.charCodeAt(i);
      if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
        const next = text.charCodeAt(i + 1);
        if (next >= 0xdc00 && next <= 0xdfff) { bytes += 2; i++; continue; }
      }
      if (unit >= 0x800) bytes += 2;
      else if (unit >= 0x80) bytes += 1;
    }
    return bytes;
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
      const size = text === undefined ? 0 : utf8Length(text);
      if (size > respondBodyLimit) {
        throw new NativeTypeError('respond(): the body is ' + size + ' bytes, more than the limit of ' + respondBodyLimit);
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
    const outcome = await hostFetch.apply(undefined, [run.id, request], HOST_CALL_OPTIONS);
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

  const TRIGGER_USAGE = 'automations.trigger(nameOrId, vars): ';

  // Copies vars into fresh objects holding JSON data only, so what was checked is exactly what
  // is sent: getters run once, and neither toJSON nor a prototype can add anything afterwards.
  // Properties whose value is undefined are left out, as JSON.stringify would.
  function copyJsonData(value, path, ancestors) {
    if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
    if (typeof value === 'number') {
      if (isFiniteNumber(value)) return value;
      throw new NativeTypeError(TRIGGER_USAGE + path + ' is ' + toText(value) + ', which JSON cannot hold');
    }
    if (typeof value !== 'object') {
      const what = typeof value === 'bigint' ? 'a BigInt' : typeof value === 'undefined' ? 'undefined' : 'a ' + typeof value;
      throw new NativeTypeError(TRIGGER_USAGE + path + ' is ' + what + ', which JSON cannot hold');
    }
    for (let i = 0; i < ancestors.length; i++) {
      if (ancestors[i] === value) throw new NativeTypeError(TRIGGER_USAGE + path + ' refers back to an object that contains it');
    }
    ancestors[ancestors.length] = value;
    let copy;
    if (isArray(value)) {
      copy = [];
      for (let i = 0; i < value.length; i++) copy[i] = copyJsonData(value[i], path + '[' + i + ']', ancestors);
    } else {
      const prototype = getPrototypeOf(value);
      if (prototype !== ObjectPrototype && prototype !== null) {
        const name = typeof prototype.constructor === 'function' ? prototype.constructor.name : '';
        throw new NativeTypeError(TRIGGER_USAGE + path + ' is ' + (name ? 'a ' + name : 'an instance of a class') + ', not plain JSON data');
      }
      // No prototype, so a key such as "__proto__" is stored as the plain property it is.
      copy = { __proto__: null };
      const keys = objectKeys(value);
      for (let i = 0; i < keys.length; i++) {
        const item = value[keys[i]];
        if (item !== undefined) copy[keys[i]] = copyJsonData(item, pathTo(path, keys[i]), ancestors);
      }
    }
    ancestors.length--;
    return copy;
  }

  function pathTo(path, key) {
    return IDENTIFIER.test(key) ? path + '.' + key : path + '[' + stringifyJson(key) + ']';
  }

  async function triggerThroughHost(run, nameOrId, vars) {
    if (typeof nameOrId !== 'string' || nameOrId === '') {
      throw new NativeTypeError(TRIGGER_USAGE + 'nameOrId must be a non-empty string, got ' + formatValue(nameOrId));
    }
    const given = vars === undefined ? {} : vars;
    if (typeof given !== 'object' || given === null || isArray(given)) {
      throw new NativeTypeError(TRIGGER_USAGE + 'vars must be an object, got ' + formatValue(given));
    }
    const json = stringifyJson(copyJsonData(given, 'vars', []));
    // Each UTF-16 unit is at least one byte of UTF-8: past the limit here, it is past it there.
    if (json.length > varsByteLimit) throw new NativeError(varsTooLarge);
    const outcome = await hostTrigger.apply(undefined, [run.id, nameOrId, json], HOST_CALL_OPTIONS);
    if (!outcome.ok) throw new NativeError(toText(outcome.error));
    return outcome.value;
  }

  // The request and provider arrive as JSON text and are parsed here, so every object the
  // script sees belongs to this context: nothing it changes reaches another provider's script.
  function runMatch(metaJson, body, providerJson) {
    try {
      const value = userFn(makeRequest(parseJson(metaJson), body), parseJson(providerJson));
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
      return { ok: true, value: !!userFn(scope.provider, scope.eventType, scope.event, scope.method, scope.headers, scope.query, body) };
    } catch (error) {
      return describeError(error);
    }
  }

  async function runFunction(runId, meta, body, message, provider, eventType, event) {
    const run = { id: runId, logCount: 0, isLogLimitNoted: false, hasResponded: false };
    const http = { fetch(url, init) { return fetchThroughHost(run, url, init); } };
    const automations = { trigger(nameOrId, vars) { return triggerThroughHost(run, nameOrId, vars); } };
    try {
      const value = await userFn(makeRequest(meta, body), message, provider, eventType, event, makeLog(run), makeRespond(run), http, automations);
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


/**
 * The guest loop that runs a message's match scripts in one isolate entry, evaluated once per
 * isolate in a context of its own that no script runs in. It receives the runners of the
 * scripts' own contexts and hands each the request and its provider as JSON text only, so no
 * object crosses from one script's context to another's. After each script it tells the host
 * the outcome as plain values (so the host can time it, and knows how far a run got when a
 * timeout interrupts it) and stops at the first yes.
 */
export const MATCH_LOOP_SOURCE = `(function createMatchLoop(hostSettle) {
  'use strict';
  const hasOwn = Object.prototype.hasOwnProperty;
  function textOf(result, name) {
    if (!hasOwn.call(result, name)) return '';
    const value = result[name];
    return typeof value === 'string' ? value : '';
  }
  return function matchInOrder(runId, metaJson, body) {
    // The rest are pairs: a script's runner (null when it did not compile) and its provider's JSON.
    for (let i = 3; i < arguments.length; i += 2) {
      const index = (i - 3) / 2;
      const run = arguments[i];
      if (typeof run !== 'function') continue;
      let result;
      try {
        result = run(metaJson, body, arguments[i + 1]);
      } catch (error) {
        result = { ok: false, name: 'Error', message: 'the match runtime failed', stack: '' };
      }
      const isObject = typeof result === 'object' && result !== null;
      const isOk = isObject && hasOwn.call(result, 'ok') && result.ok === true;
      const isYes = isOk && hasOwn.call(result, 'value') && result.value === true;
      if (isOk) hostSettle(runId, index, true, isYes, '', '', '');
      else if (isObject) hostSettle(runId, index, false, false, textOf(result, 'name'), textOf(result, 'message'), textOf(result, 'stack'));
      else hostSettle(runId, index, false, false, '', 'the sandbox returned an unexpected result', '');
      if (isYes) return index;
    }
    return -1;
  };
})`;
