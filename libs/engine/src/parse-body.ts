import type { InboundRequest } from './message';
import type { ScriptRequest } from './script-types';

/**
 * The request as scripts see it. Malformed JSON is not an error: the message
 * was accepted and stored, and scripts simply get `json: null`.
 */
export function toScriptRequest(request: InboundRequest): ScriptRequest {
  const body = request.rawBody.toString('utf8');
  const mediaType = (request.contentType ?? '').split(';')[0].trim().toLowerCase();
  return {
    method: request.method,
    uri: request.uri,
    path: request.path,
    headers: request.headers,
    query: request.query,
    body,
    json: isJsonMediaType(mediaType) ? parseJson(body) : null,
    form: mediaType === 'application/x-www-form-urlencoded' ? parseForm(body) : null,
  };
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
