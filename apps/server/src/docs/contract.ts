import { z } from 'zod';
import { ROLES, type Role } from '../auth/roles';

/**
 * The API contract: each route's request and answers, written once as the zod schemas the server
 * validates with (request bodies, queries) and types its answers with (views). The OpenAPI
 * document is generated from it (see openapi.ts), and with HOOKLINE_CHECK_RESPONSES the server
 * checks every JSON answer against it (contract-check.ts), so neither can drift from the code.
 *
 * A schema becomes a named component of the document with `.meta({ id })`; every other schema is
 * written inline where it is used.
 */

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * Who may call a route: anyone, the least user role, a runner token, either of the last two, or a
 * user of any role who logged in with a password (a personal token will not do).
 */
export type Access = 'public' | Role | 'runner' | 'viewer+runner' | 'login';

/** An answer: its description, and a schema for a JSON body (or another content type's body). */
export interface Answer {
  description: string;
  /** The JSON body. */
  body?: z.ZodType;
  /** A body of another content type, described by a plain JSON Schema or a zod schema (it is not checked); beside `body` for an answer that may be JSON or not. */
  content?: Record<string, { schema: object }>;
  headers?: Record<string, { description: string; schema: object }>;
}

export interface Operation {
  summary: string;
  description?: string;
  tags: string[];
  access: Access;
  /** The credentials it takes, when not those its access implies (the metrics token). */
  security?: object[];
  /** Path parameters by name, as in the path's `{name}`. */
  params?: z.ZodObject;
  query?: z.ZodObject;
  headers?: z.ZodObject;
  /** The JSON request body: the very schema the route validates it with. */
  body?: z.ZodType;
  bodyRequired?: boolean;
  /** A request body of any other content type (plain JSON Schema). */
  rawBody?: Record<string, { schema: object }>;
  responses: Record<number, Answer | string>;
}

export type PathItem = Partial<Record<Method, Operation>>;
export type Routes = Record<string, PathItem>;

/** Every JSON error answer: the status, its name, a message that says what to fix, and each bad field. */
export const ErrorBody = z
  .object({
    statusCode: z.number().int(),
    error: z.string(),
    message: z.string(),
    fields: z.record(z.string(), z.string()).optional().describe('Each bad field and what is wrong with it'),
  })
  .meta({ id: 'Error' });

export const error = (description: string): Answer => ({ description, body: ErrorBody });

export const RoleSchema = z
  .enum(ROLES)
  .meta({ id: 'Role', description: 'viewer: reads everything but secrets; editor: also changes providers, functions, automations, endpoints, resubmits and runs; admin: also users, runners, git providers' });

/** The 403 of a caller whose role is below the route's (docs/users.md has the table of roles). */
export const RoleErrorBody = ErrorBody.extend({ requiredRole: RoleSchema, role: RoleSchema.describe("The caller's role") }).meta({ id: 'RoleError' });

/** Added to every route that needs a login: the document writes them, so a route table need not. */
export const authErrors = { 401: error('Not logged in, or the token expired') };
export const roleErrors = {
  403: { description: "The caller's role is below the route's, or a write authenticated by the cookie alone lacks X-Hookline-Request: 1", body: z.union([RoleErrorBody, ErrorBody]) },
};
export const notFound = { 404: error('No such id') };
export const invalid = { 400: error('A field is invalid; `fields` names each one') };

export const uuid = z.uuid();
export const idParams = z.object({ id: uuid });
/** An instant as the API writes it: ISO 8601 in UTC. */
export const instant = z.iso.datetime({ offset: true });

/** A page of items with the cursor of the next one (null on the last). */
export const pageOf = <T extends z.ZodType>(item: T) => z.strictObject({ items: z.array(item), nextCursor: z.string().nullable() });
