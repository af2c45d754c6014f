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

export function parseForm(body: string): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(body)) {
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
