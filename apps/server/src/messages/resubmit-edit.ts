import { z } from 'zod';
import type { InboundRequest, ResubmitEdit } from '../../../../libs/engine/src';
import { ValidationFailedError } from '../common/errors';
import { validate } from '../common/validate';
import { REDACTED } from '../processing/credential-headers';

// RFC 9110 token characters; values may not break the header line.
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;
const HEADER_VALUE = /^[^\r\n\0]*$/;

export const ResubmitInput = z
  .object({
    sync: z.boolean({ error: 'must be true or false' }).optional(),
    headers: z
      .record(z.string(), z.string({ error: 'each header value must be a string' }), { error: 'must be an object of header names to values' })
      .optional()
      .describe(`The whole header set to send. "${REDACTED}" keeps the original value of a credential header; a header left out is removed.`),
    body: z.string({ error: 'must be the body as a string' }).optional().describe('The body to send, as UTF-8 text'),
  });
export type ResubmitInput = z.infer<typeof ResubmitInput>;

export function parseResubmitInput(input: unknown): ResubmitInput {
  const fields: Record<string, string> = {};
  const known = Object.keys(ResubmitInput.shape);
  for (const key of Object.keys(input ?? {})) if (!known.includes(key)) fields[key] = `is not a resubmit option; use ${known.join(', ')}`;
  let parsed: ResubmitInput = {};
  try {
    parsed = validate(ResubmitInput, input);
  } catch (err) {
    if (!(err instanceof ValidationFailedError)) throw err;
    Object.assign(fields, err.fields);
  }
  if (parsed.headers) {
    for (const [name, value] of Object.entries(parsed.headers)) {
      if (!HEADER_NAME.test(name.toLowerCase())) fields[`headers.${name}`] = 'is not a valid header name';
      else if (!HEADER_VALUE.test(value)) fields[`headers.${name}`] = 'must not contain line breaks or NUL';
    }
  }
  if (Object.keys(fields).length) throw new ValidationFailedError(fields);
  return parsed;
}

/**
 * The stored request with the admin's edits applied, and what changed. `original.headers` holds
 * the real values (credentials restored): a credential header sent back as "[redacted]" keeps
 * its real value, which never leaves the server.
 */
export function applyEdits(original: InboundRequest, input: ResubmitInput): { request: InboundRequest; edited?: ResubmitEdit } {
  if (input.headers === undefined && input.body === undefined) return { request: original };
  const before = original.headers;
  const headers: Record<string, string> = {};
  if (input.headers) {
    for (const [rawName, value] of Object.entries(input.headers)) {
      const name = rawName.toLowerCase();
      headers[name] = value === REDACTED && Object.hasOwn(before, name) ? before[name] : value;
    }
  } else {
    Object.assign(headers, before);
  }
  const body = input.body === undefined ? original.rawBody : Buffer.from(input.body, 'utf8');
  const bodyChanged = !body.equals(original.rawBody);
  // The length the sender declared no longer holds for an edited body.
  if (bodyChanged && Object.hasOwn(headers, 'content-length') && headers['content-length'] === before['content-length']) headers['content-length'] = String(body.length);
  const edited: ResubmitEdit = {
    headersAdded: Object.keys(headers).filter((name) => !Object.hasOwn(before, name)),
    headersChanged: Object.keys(headers).filter((name) => Object.hasOwn(before, name) && before[name] !== headers[name] && name !== 'content-length'),
    headersRemoved: Object.keys(before).filter((name) => !Object.hasOwn(headers, name)),
    bodyChanged,
  };
  return { request: { ...original, headers, rawBody: body, contentType: headers['content-type'] ?? null }, edited };
}
