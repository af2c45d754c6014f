import { z } from 'zod';
import { normalizeUri, parseForm, type InboundRequest } from '../../../../libs/engine/src';
import { SchemeName } from '../common/ids';
import { UpdateFunctionInput } from '../functions/function-input';
import { UpdateProviderInput } from '../providers/provider-input';

const PastedRequest = z.strictObject({
  method: z
    .string({ error: 'must be an HTTP method such as POST' })
    .regex(/^[A-Za-z]{1,20}$/, 'must be an HTTP method such as POST')
    .transform((method) => method.toUpperCase())
    .optional(),
  path: z
    .string({ error: 'must be the request path, e.g. /webhooks/git/push?ref=main' })
    .max(8000, 'must be at most 8000 characters')
    .regex(/^[^\s#]+$/, 'must be the request path, e.g. /webhooks/git/push?ref=main (no spaces or fragment)'),
  headers: z.record(z.string(), z.string({ error: 'values must be strings' }), { error: 'must be an object of header names to strings' }).optional(),
  body: z
    .union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())], { error: 'must be text, or a JSON object or array (sent as application/json)' })
    .optional(),
});
type PastedRequest = z.infer<typeof PastedRequest>;

/** Where a test takes its request from: a stored message, or one pasted into the body. */
const source = {
  messageId: z.uuid({ error: 'must be the id of a stored message' }).optional().meta({ description: 'A stored message to test against (or give `request`)' }),
  request: PastedRequest.optional().meta({
    description: 'A pasted request to test against (or give `messageId`). `path` may start with /webhooks/ and carry a query; a JSON body is sent as application/json',
  }),
};

/** A draft of a function (fields as PUT takes them), tested against one request. */
export const TestFunctionInput = UpdateFunctionInput.pick({ script: true, condition: true, timeoutMs: true, automationIds: true }).extend({
  ...source,
  fetchResponse: z
    .strictObject({
      status: z.number({ error: 'must be an HTTP status' }).int().min(100, 'must be from 100 to 599').max(599, 'must be from 100 to 599').optional(),
      headers: z.record(z.string(), z.string(), { error: 'must be an object of header names to strings' }).optional(),
      body: z.string({ error: 'must be text' }).optional(),
    })
    .optional()
    .meta({ description: 'What every http.fetch of the test run answers; default status 200, no headers, empty body' }),
}).meta({ id: 'FunctionTestInput' });
export type TestFunctionInput = z.infer<typeof TestFunctionInput>;

/** A draft of a provider (fields as PUT takes them), tested against one request. */
export const TestProviderInput = UpdateProviderInput.pick({ matchScript: true, properties: true, eventFormat: true }).extend({
  ...source,
  verification: z.strictObject({ scheme: SchemeName.optional(), options: z.record(z.string(), z.unknown(), { error: 'must be an object' }).optional() }).optional(),
}).meta({ id: 'ProviderTestInput' });
export type TestProviderInput = z.infer<typeof TestProviderInput>;

export const DEFAULT_PREVIEW_LIMIT = 200;
export const MAX_PREVIEW_LIMIT = 1000;

/** A draft provider order and match scripts, replayed over the last stored messages. */
export const PreviewInput = z.strictObject({
  order: z
    .array(z.uuid({ error: 'must be provider ids' }), { error: 'must list every provider id in the new order' })
    .optional()
    .meta({ description: 'A draft priority order: every provider id once, first runs first' }),
  providers: z
    .record(
      z.uuid({ error: 'keys must be provider ids' }),
      UpdateProviderInput.pick({ matchScript: true, enabled: true }),
      { error: 'must map provider ids to drafts such as {"matchScript": "return true"}' },
    )
    .optional()
    .meta({ description: 'Draft match scripts (and enabled flags) by provider id' }),
  limit: z
    .number({ error: `must be a whole number from 1 to ${MAX_PREVIEW_LIMIT}` })
    .int(`must be a whole number from 1 to ${MAX_PREVIEW_LIMIT}`)
    .min(1, `must be a whole number from 1 to ${MAX_PREVIEW_LIMIT}`)
    .max(MAX_PREVIEW_LIMIT, `must be a whole number from 1 to ${MAX_PREVIEW_LIMIT}`)
    .optional()
    .meta({ description: `How many of the newest stored messages to replay (default ${DEFAULT_PREVIEW_LIMIT})` }),
}).meta({ id: 'PreviewInput' });
export type PreviewInput = z.infer<typeof PreviewInput>;

/**
 * A pasted request as the ingress would have received it. The path may start with `/webhooks/`
 * or be the uri alone; its query string becomes the query. A JSON body without a content type
 * is sent as `application/json`.
 */
export function pastedInbound(pasted: PastedRequest): InboundRequest {
  const headers = Object.create(null) as Record<string, string>;
  for (const [name, value] of Object.entries(pasted.headers ?? {})) headers[name.toLowerCase()] = value;
  const isText = typeof pasted.body === 'string';
  if (pasted.body !== undefined && !isText) headers['content-type'] ??= 'application/json';
  const rawBody = Buffer.from(pasted.body === undefined ? '' : isText ? (pasted.body as string) : JSON.stringify(pasted.body), 'utf8');
  const questionMark = pasted.path.indexOf('?');
  const pathOnly = questionMark === -1 ? pasted.path : pasted.path.slice(0, questionMark);
  const uri = normalizeUri(pathOnly.replace(/^\/*webhooks\//, ''));
  return {
    method: pasted.method ?? 'POST',
    uri,
    path: `/webhooks/${uri}`,
    query: questionMark === -1 ? Object.create(null) : parseForm(pasted.path.slice(questionMark + 1)),
    headers,
    rawBody,
    contentType: headers['content-type'] ?? null,
    sourceAddress: null,
    receivedAt: new Date(),
  };
}
