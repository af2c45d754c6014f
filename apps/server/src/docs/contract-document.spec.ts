import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import openApiSchema from '../../../../test/support/openapi-3.1-schema.json';
import { z } from 'zod';
import { SchemaWriter, writePaths } from './contract-document';
import { OPENAPI_DOCUMENT } from './openapi';

function refsIn(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((item) => refsIn(item, found));
  else if (typeof node === 'object' && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') found.push(value);
      else refsIn(value, found);
    }
  }
  return found;
}

describe('the generated OpenAPI document', () => {
  it('resolves every reference to a component it holds', () => {
    const schemas = OPENAPI_DOCUMENT.components.schemas as Record<string, unknown>;
    const dangling = refsIn(OPENAPI_DOCUMENT).filter((ref) => !(ref.startsWith('#/components/schemas/') && ref.slice('#/components/schemas/'.length) in schemas));
    expect(dangling).toEqual([]);
  });

  it('writes a request body from the very schema the route validates with, errors and all', () => {
    const post = (OPENAPI_DOCUMENT.paths['/api/users'] as any).post;
    const body = post.requestBody.content['application/json'].schema;
    expect(body).toMatchObject({ type: 'object', required: ['username', 'role', 'password'], additionalProperties: false });
    expect(body.properties.password).toMatchObject({ minLength: 8, maxLength: 1024 });
    expect(post['x-access']).toBe('admin');
    expect(post.description).toContain('Needs the admin role');
    expect(Object.keys(post.responses).sort()).toEqual(['201', '400', '401', '403', '409']);
  });

  it('writes an automation as answered (every default filled in) apart from the automation as sent', () => {
    const schemas = OPENAPI_DOCUMENT.components.schemas as Record<string, any>;
    const command = (target: any) => target.oneOf.find((side: any) => side.properties.kind.const === 'command');
    expect(command(schemas.AutomationTarget).required).toEqual(['kind', 'command', 'argv', 'shell', 'timeoutMs']);
    expect(command(schemas.AutomationTargetInput).required).toEqual(['kind']);
    expect(command(schemas.AutomationTargetInput).properties.timeoutMs).toMatchObject({ default: 60000, minimum: 100 });
    expect(schemas.AutomationInput.properties.target).toEqual({ $ref: '#/components/schemas/AutomationTargetInput' });
    expect(schemas.Automation.properties.target).toEqual({ $ref: '#/components/schemas/AutomationTarget' });
  });

  it('describes the raw body and every answer of the inbound webhook route, which needs no login', () => {
    const inbound = (OPENAPI_DOCUMENT.paths['/api/webhooks/inbound/{token}'] as any).post;
    expect(inbound.security).toEqual([]);
    expect(inbound.requestBody).toEqual({ content: { '*/*': { schema: {} } } });
    expect(Object.keys(inbound.responses).sort()).toEqual(['200', '207', '401', '404', '413', '429', '503']);
    expect(inbound.responses['429'].headers['retry-after'].schema).toEqual({ type: 'integer' });
  });

  it("names an event stream's events by a generated component", () => {
    const ok = (OPENAPI_DOCUMENT.paths['/api/messages/stream'] as any).get.responses['200'];
    expect(ok.content).toEqual({ 'text/event-stream': { schema: { $ref: '#/components/schemas/MessageChange' } } });
    expect((OPENAPI_DOCUMENT.components.schemas as any).MessageChange.required).toContain('message');
  });

  it("keeps a route's own 401 when it answers one for another reason too", () => {
    const resubmit = (OPENAPI_DOCUMENT.paths['/api/messages/{id}/resubmit'] as any).post.responses;
    expect(resubmit['401'].description).toContain('failed verification');
    expect(resubmit['401'].content['application/json'].schema.anyOf).toEqual([{ $ref: '#/components/schemas/Error' }, { $ref: '#/components/schemas/Answer' }]);
    expect((OPENAPI_DOCUMENT.paths['/api/messages/{id}'] as any).get.responses['401'].description).toBe('Not logged in, or the token expired');
  });

  it('describes a provider as answered apart from what a save takes: secrets go in, only whether they are set comes out', () => {
    const schemas = OPENAPI_DOCUMENT.components.schemas as Record<string, any>;
    expect(Object.keys(schemas.Verification.properties)).not.toContain('secret');
    expect(schemas.Verification.properties.secretConfigured).toEqual({ type: 'boolean' });
    expect(schemas.ProviderInput.properties.verification.properties.secret).toBeDefined();
    // A stored descriptor always holds a list of uris; a save may send one uri, and refuses unknown fields.
    expect(schemas.WebhookDescriptor.properties.pathSuffix.type).toBe('array');
    expect(schemas.ProviderInput.properties.descriptor).toEqual({ $ref: '#/components/schemas/WebhookDescriptorInput' });
    expect(schemas.WebhookDescriptorInput.additionalProperties).toBe(false);
    expect(schemas.FixedAnswer.required).toEqual(['status', 'headers', 'body']);
    expect(schemas.FixedAnswerInput.required).toEqual(['status']);
  });

  it('names path parameters with their schemas', () => {
    const remove = (OPENAPI_DOCUMENT.paths['/api/users/{id}/tokens/{tokenId}'] as any).delete;
    expect(remove.parameters).toEqual([
      { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
      { name: 'tokenId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
    ]);
  });
});

describe('SchemaWriter', () => {
  it('puts a named schema in the components once and refers to it', () => {
    const writer = new SchemaWriter();
    const Thing = z.strictObject({ at: z.iso.datetime(), count: z.number().int() }).meta({ id: 'Thing' });
    expect(writer.write(z.array(Thing), 'output')).toEqual({ type: 'array', items: { $ref: '#/components/schemas/Thing' } });
    expect(writer.write(Thing, 'output')).toEqual({ $ref: '#/components/schemas/Thing' });
    // Neither the bounds of a safe integer nor the pattern behind a date-time reach a reader.
    expect(writer.components.Thing).toEqual({
      type: 'object',
      properties: { at: { type: 'string', format: 'date-time' }, count: { type: 'integer' } },
      required: ['at', 'count'],
      additionalProperties: false,
    });
  });

  it('keeps the request side of a schema with defaults beside it as <Name>Input', () => {
    const writer = new SchemaWriter();
    const Settings = z.strictObject({ limit: z.number().int().default(50) }).meta({ id: 'Settings' });
    writer.write(Settings, 'output');
    expect(writer.write(Settings, 'input')).toEqual({ $ref: '#/components/schemas/SettingsInput' });
    expect(writer.components.Settings.required).toEqual(['limit']);
    expect(writer.components.SettingsInput.required).toBeUndefined();
  });

  it('refuses two different schemas of one name', () => {
    const writer = new SchemaWriter();
    writer.write(z.string().meta({ id: 'Twice' }), 'output');
    expect(() => writer.write(z.number().meta({ id: 'Twice' }), 'output')).toThrow('Two different schemas are both named Twice');
  });

  it('adds the 401 and 403 of a route behind a login, and neither to a public one', () => {
    const writer = new SchemaWriter();
    const paths = writePaths(
      {
        '/a': { get: { tags: ['T'], summary: 's', access: 'editor', responses: { 200: 'OK' } } },
        '/b': { get: { tags: ['T'], summary: 's', access: 'public', responses: { 200: 'OK' } } },
        '/c': { get: { tags: ['T'], summary: 's', access: 'runner', responses: { 200: 'OK' } } },
      },
      writer,
    );
    expect(Object.keys((paths['/a'].get as any).responses)).toEqual(['200', '401', '403']);
    expect(Object.keys((paths['/b'].get as any).responses)).toEqual(['200']);
    expect((paths['/b'].get as any).security).toEqual([]);
    expect(Object.keys((paths['/c'].get as any).responses)).toEqual(['200', '401']);
  });
});

describe('the document against the OpenAPI 3.1 schema', () => {
  it('is a valid OpenAPI 3.1 document (the OpenAPI Initiative\'s schema of 2022-10-07)', () => {
    // test/support/openapi-3.1-schema.json is https://spec.openapis.org/oas/3.1/schema/2022-10-07.
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(openApiSchema);
    const valid = validate(JSON.parse(JSON.stringify(OPENAPI_DOCUMENT)));
    expect(validate.errors?.slice(0, 10) ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('refuses what the schema refuses: an answer without a description', () => {
    const ajv = new Ajv2020({ strict: false });
    addFormats(ajv);
    const broken = JSON.parse(JSON.stringify(OPENAPI_DOCUMENT));
    delete broken.paths['/api/users'].get.responses['200'].description;
    expect(ajv.compile(openApiSchema)(broken)).toBe(false);
  });
});
