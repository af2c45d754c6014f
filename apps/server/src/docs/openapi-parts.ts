import { z } from 'zod';

/** Building blocks shared by the OpenAPI document's parts. */
export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const json = (schema: object) => ({ content: { 'application/json': { schema } } });
export const error = (description: string) => ({ description, ...json(ref('Error')) });
export const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
export const authErrors = { 401: error('Not logged in, or the token expired') };
export const notFound = { 404: error('No such id') };
export const invalid = { 400: error('A field is invalid; `fields` names each one') };

/** A request body's schema generated from its validator, so the document cannot drift from what the server accepts. */
export function requestSchema(schema: z.ZodType): object {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  return rest;
}
