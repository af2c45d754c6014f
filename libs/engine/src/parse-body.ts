import type { InboundRequest } from './message';
import type { ScriptRequest } from './script-types';

/**
 * JSON nested deeper than this is not parsed: copying it into a script, rendering templates over
 * it or storing it would recurse that deep and exhaust the stack. Real payloads stay far below.
 */
export const MAX_JSON_DEPTH = 512;

export const TOO_DEEP_NOTE = `the JSON body is nested deeper than ${MAX_JSON_DEPTH} levels; it was not parsed (request.json is null)`;

/** The request as scripts see it, with notes on what could not be read (for the trace). */
export interface ParsedRequest {
  request: ScriptRequest;
  notes: string[];
}

/**
 * The request as scripts see it. Malformed or too deeply nested JSON is not an error: the message
 * was accepted and stored, and scripts simply get `json: null`.
 */
export function parseRequest(request: InboundRequest): ParsedRequest {
  const body = request.rawBody.toString('utf8');
  const mediaType = (request.contentType ?? '').split(';')[0].trim().toLowerCase();
  const notes: string[] = [];
  let json: unknown = null;
  if (isJsonMediaType(mediaType)) {
    if (isNestedDeeperThan(body, MAX_JSON_DEPTH)) notes.push(TOO_DEEP_NOTE);
    else json = parseJson(body);
  }
  return {
    request: {
      method: request.method,
      uri: request.uri,
      path: request.path,
      headers: request.headers,
      query: request.query,
      body,
      json,
      form: mediaType === 'application/x-www-form-urlencoded' ? parseForm(body) : null,
    },
    notes,
  };
}

export function toScriptRequest(request: InboundRequest): ScriptRequest {
  return parseRequest(request).request;
}

/**
 * One pass over the text, no recursion: brackets outside strings, past `limit` open at once. A
 * string's contents are skipped with indexOf, natively, rather than a character at a time: in
 * real payloads most of the text is inside strings.
 */
export function isNestedDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x22) {
      i = closingQuote(text, i);
    } else if (code === 0x5b || code === 0x7b) {
      if (++depth > limit) return true;
    } else if (code === 0x5d || code === 0x7d) {
      depth--;
    }
  }
  return false;
}

/** Where the string opened at `open` ends: its closing quote, one not escaped by an odd run of backslashes; the text's length if none. */
export function closingQuote(text: string, open: number): number {
  for (let at = text.indexOf('"', open + 1); at !== -1; at = text.indexOf('"', at + 1)) {
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return at;
  }
  return text.length;
}

/** `application/json` and the `+json` family (`application/vnd.api+json`, `application/cloudevents+json`). */
export function isJsonMediaType(mediaType: string): boolean {
  return mediaType === 'application/json' || mediaType === 'text/json' || mediaType.endsWith('+json');
}

function parseJson(body: string): unknown {
  if (body.trim() === '') return null;
  try {
    return JSON.parse(body);
  } catch {
    return null;
  }
}

/**
 * Form fields or query parameters (`a=1&b=2&b=3`); a repeated name becomes an array. The object
 * has no prototype, so names like `__proto__`, `toString` and `constructor` are fields like any
 * other. `text` rewrites each name and value (the query's are stored as text).
 */
export function parseForm(body: string, text: (value: string) => string = (value) => value): Record<string, string | string[]> {
  const fields = Object.create(null) as Record<string, string | string[]>;
  for (const [name, raw] of new URLSearchParams(body)) {
    const [key, value] = [text(name), text(raw)];
    const existing = fields[key];
    if (existing === undefined) fields[key] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else fields[key] = [existing, value];
  }
  return fields;
}

/** What conditions and scripts call the payload: the JSON body, else the form fields, else null. */
export function payloadOf(request: ScriptRequest): unknown {
  return request.json ?? request.form ?? null;
}
