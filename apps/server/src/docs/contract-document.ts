import { z } from 'zod';
import { authErrors, roleErrors, type Answer, type Method, type Operation, type Routes } from './contract';

type JsonSchema = Record<string, unknown>;

/** Bounds zod writes for every whole number, and the pattern behind every date-time: noise to a reader. */
const SAFE_INTEGER = Number.MAX_SAFE_INTEGER;

/**
 * Turns zod schemas into the OpenAPI document's JSON Schemas. Named schemas (`.meta({ id })`) go
 * to `components.schemas` once; a name that two schemas claim with different content is a
 * mistake in the contract and throws, except that the request side of a schema whose input and
 * output differ (defaults, transforms) is kept beside it as `<Name>Input`.
 */
export class SchemaWriter {
  readonly components: Record<string, JsonSchema> = {};

  write(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
    const { $defs = {}, $schema: _dialect, ...root } = z.toJSONSchema(schema, {
      io,
      unrepresentable: 'any',
      override: ({ jsonSchema }) => tidy(jsonSchema as JsonSchema),
    }) as JsonSchema & { $defs?: Record<string, JsonSchema> };
    const names = new Map<string, string>();
    for (const [name, definition] of Object.entries($defs)) names.set(name, this.place(name, definition, io));
    const rename = (node: JsonSchema) => renameRefs(node, names);
    for (const name of Object.keys($defs)) this.components[names.get(name)!] = rename($defs[name]);
    return rename(root);
  }

  private place(name: string, definition: JsonSchema, io: 'input' | 'output'): string {
    const existing = this.components[name];
    if (!existing || sameShape(existing, definition)) return name;
    const inputName = `${name}Input`;
    if (io === 'input' && (!this.components[inputName] || sameShape(this.components[inputName], definition))) return inputName;
    throw new Error(`Two different schemas are both named ${name} in the API contract; give one another id`);
  }
}

function tidy(node: JsonSchema): void {
  if (node.type === 'integer' && node.minimum === -SAFE_INTEGER) delete node.minimum;
  if (node.type === 'integer' && node.maximum === SAFE_INTEGER) delete node.maximum;
  if (node.format === 'date-time' || node.format === 'uuid' || node.format === 'email') delete node.pattern;
}

/** Whether two definitions agree once their own references are read alike. */
function sameShape(a: JsonSchema, b: JsonSchema): boolean {
  return JSON.stringify(renameRefs(a, new Map())) === JSON.stringify(renameRefs(b, new Map()));
}

function renameRefs<T>(node: T, names: Map<string, string>): T {
  if (Array.isArray(node)) return node.map((item) => renameRefs(item, names)) as T;
  if (typeof node !== 'object' || node === null) return node;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string' && value.startsWith('#/$defs/')) {
      const name = value.slice('#/$defs/'.length);
      out.$ref = `#/components/schemas/${names.get(name) ?? name}`;
    } else {
      out[key] = renameRefs(value, names);
    }
  }
  return out as T;
}

const METHODS: Method[] = ['get', 'post', 'put', 'patch', 'delete'];

const SECURITY: Partial<Record<Operation['access'], object[]>> = {
  public: [],
  runner: [{ runnerToken: [] }],
  'viewer+runner': [{ bearer: [] }, { cookie: [] }, { runnerToken: [] }],
};

const ACCESS_TEXT: Record<Operation['access'], string> = {
  public: 'No login.',
  viewer: 'Needs a login (any role).',
  editor: 'Needs the editor role or admin.',
  admin: 'Needs the admin role.',
  runner: 'Needs a runner token.',
  'viewer+runner': 'Needs a login (any role) or a runner token.',
  login: 'Needs a password login of any role: a personal token is answered 403.',
};

/** The `paths` of the document, with the components their schemas name. */
export function writePaths(routes: Routes, writer: SchemaWriter): Record<string, Record<string, unknown>> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [path, item] of Object.entries(routes)) {
    const written: Record<string, unknown> = {};
    for (const method of METHODS) {
      const operation = item[method];
      if (operation) written[method] = writeOperation(operation, writer);
    }
    paths[path] = written;
  }
  return paths;
}

function writeOperation(operation: Operation, writer: SchemaWriter): Record<string, unknown> {
  const parameters = [
    ...parametersOf(operation.params, 'path', writer),
    ...parametersOf(operation.query, 'query', writer),
    ...parametersOf(operation.headers, 'header', writer),
  ];
  const out: Record<string, unknown> = {
    tags: operation.tags,
    summary: operation.summary,
    description: [operation.description, ACCESS_TEXT[operation.access]].filter(Boolean).join('\n\n'),
    'x-access': operation.access,
  };
  if (operation.security ?? SECURITY[operation.access]) out.security = operation.security ?? SECURITY[operation.access];
  if (parameters.length > 0) out.parameters = parameters;
  if (operation.body) {
    out.requestBody = { required: operation.bodyRequired ?? true, content: { 'application/json': { schema: writer.write(operation.body, 'input') } } };
  } else if (operation.rawBody) {
    out.requestBody = { content: operation.rawBody };
  }
  out.responses = Object.fromEntries(Object.entries(answersOf(operation)).map(([status, answer]) => [status, writeAnswer(answer, writer)]));
  return out;
}

/**
 * The route's answers, with the 401 of every route that takes a credential and the 403 of every
 * route that takes a login; a route that answers one of those statuses for another reason too
 * lists it itself, and its own wins.
 */
export function answersOf(operation: Operation): Record<number, Answer | string> {
  if (operation.access === 'public') return operation.responses;
  const answers: Record<number, Answer | string> = { ...authErrors, ...operation.responses };
  return operation.access === 'runner' ? answers : { ...roleErrors, ...answers };
}

function writeAnswer(answer: Answer | string, writer: SchemaWriter): Record<string, unknown> {
  if (typeof answer === 'string') return { description: answer };
  const out: Record<string, unknown> = { description: answer.description };
  if (answer.headers) out.headers = answer.headers;
  const content = Object.fromEntries(Object.entries(answer.content ?? {}).map(([type, { schema }]) => [type, { schema: writeContent(schema, writer) }]));
  if (answer.body || answer.content) {
    out.content = { ...(answer.body ? { 'application/json': { schema: writer.write(answer.body, 'output') } } : {}), ...content };
  }
  return out;
}

/** A non-JSON body's schema: plain JSON Schema, or a zod schema (an event stream's events) written as a component would be. */
function writeContent(schema: object, writer: SchemaWriter): object {
  return schema instanceof z.ZodType ? writer.write(schema, 'output') : schema;
}

function parametersOf(shape: z.ZodObject | undefined, where: 'path' | 'query' | 'header', writer: SchemaWriter): object[] {
  if (!shape) return [];
  return Object.entries(shape.shape).map(([name, field]) => {
    const schema = field as z.ZodType;
    const { description, ...rest } = writer.write(schema, 'input');
    return {
      name,
      in: where,
      required: where === 'path' || !schema.safeParse(undefined).success,
      ...(typeof description === 'string' ? { description } : {}),
      schema: rest,
    };
  });
}
