import { randomUUID } from 'node:crypto';
import { descriptorVectors, type DescriptorVector } from './support/descriptor-vectors';
import { signDelivery } from './support/signers';
import { given, TestServer } from './support/test-server';

const VECTORS = descriptorVectors();
const vector = (id: string) => VECTORS.find((v) => v.id === id)!;
const SYNC = { 'flex-sync-webhook': 'true' };
const REPORT = 'return { provider: provider.name, eventType, key: event && event.key }';

describe('providers from a descriptor, over HTTP', () => {
  let server: TestServer;
  const providers = new Map<string, any>();

  beforeAll(async () => {
    server = await TestServer.start();
    // Claims by header, as the built-in GitHub provider does: the GitHub-signed vectors carry X-GitHub-Event too.
    await given(server).provider({ name: 'github-like', priority: 10, matchScript: 'return request.headers["x-github-event"] !== undefined;', verification: { scheme: 'github', secret: 'other' } });
    for (const v of VECTORS) {
      const created = await server.post('/api/providers', { name: v.id, descriptor: v.descriptor, verification: { secret: v.secret } });
      expect(created.status).toBe(201);
      providers.set(v.id, created.body);
      await given(server).fn({ providerId: created.body.id, uri: v.uri, script: REPORT });
    }
  });

  afterAll(async () => {
    await server.close();
  });

  /** The vector's request, with header names as the sender writes them and any of them changed or dropped (undefined). */
  function send(v: DescriptorVector, changes: { body?: Buffer; headers?: Record<string, string | undefined> } = {}) {
    // Lower-case, so that a changed header replaces the vector's whatever case each is written in.
    const headers: Record<string, string> = { ...SYNC };
    for (const [name, value] of Object.entries({ ...v.headers, ...changes.headers })) {
      if (value === undefined) delete headers[name.toLowerCase()];
      else headers[name.toLowerCase()] = value;
    }
    return server.webhook(v.uri, changes.body ?? v.body, headers);
  }

  /** A fresh delivery id, so that a repeated vector is not taken for a redelivery. */
  const fresh = (v: DescriptorVector): Record<string, string> => {
    const name = v.descriptor.deliveryIdHeader as string | undefined;
    return name === undefined ? {} : { [name]: randomUUID() };
  };

  it('makes a custom-hmac provider that keeps its descriptor and shows what it generated', async () => {
    const shopify = providers.get('SH-1');
    expect(shopify).toMatchObject({
      verification: {
        scheme: 'custom-hmac',
        secretConfigured: true,
        options: { algorithm: 'sha256', header: 'X-Shopify-Hmac-Sha256', format: 'base64', signedContent: '{body}' },
      },
      eventFormat: 'descriptor',
      descriptor: { ...vector('SH-1').descriptor },
      descriptorEdited: false,
    });
    expect(shopify.matchScript).toContain('const uris = ["shopify"];');
    expect(JSON.stringify(shopify)).not.toContain(vector('SH-1').secret);
  });

  it('puts each provider made from a descriptor first, before providers that claim by header', async () => {
    const order = ((await server.get('/api/providers')).body as Array<{ name: string; priority: number }>).map((p) => p.name);
    expect(order).toEqual([...VECTORS.map((v) => v.id).reverse(), 'github-like']);
  });

  describe.each(VECTORS.filter((v) => v.signedAt === undefined).map((v) => [v.id, v] as const))('vector %s', (id, v) => {
    it('is accepted, verified with the current secret, and named from the header or field', async () => {
      const result = await send(v);
      expect(result.status).toBe(200);
      expect(result.body.functions).toEqual([expect.objectContaining({ status: 'succeeded', result: { provider: id, eventType: v.eventType, key: v.eventType.toLowerCase() } })]);
      const message = (await server.get(`/api/messages/${result.body.messageId}`)).body;
      expect(message.trace.verification).toEqual({ scheme: 'custom-hmac', ok: true, matchedSecret: 'current' });
      expect(message).toMatchObject({ providerName: id, eventType: v.eventType, deliveryId: v.deliveryId, event: { provider: 'descriptor', type: v.eventType } });
    });

    it('answers 401 for a changed body and for a missing signature header, each with its reason', async () => {
      const body = Buffer.from(v.body);
      body[1] ^= 1;
      const changed = await send(v, { body, headers: fresh(v) });
      expect(changed.status).toBe(401);
      expect(changed.body.message).toBe('Verification failed: signature does not match');

      const header = v.descriptor.header as string;
      const missing = await send(v, { headers: { ...fresh(v), [header]: undefined } });
      expect(missing.status).toBe(401);
      expect(missing.body.message).toBe(`Verification failed: missing ${header} header`);
      expect((await server.get(`/api/messages/${missing.body.messageId}`)).body.status).toBe('unauthorized');
    });

    it('answers 401 under a wrong secret, and accepts the old one as previous during a rotation', async () => {
      const provider = providers.get(id);
      expect((await server.put(`/api/providers/${provider.id}`, { verification: { secret: `not-${v.secret}` } })).status).toBe(200);
      const wrong = await send(v, { headers: fresh(v) });
      expect(wrong.status).toBe(401);
      expect(wrong.body.message).toBe('Verification failed: signature does not match');

      expect((await server.put(`/api/providers/${provider.id}`, { verification: { previousSecret: v.secret } })).status).toBe(200);
      const rotated = await send(v, { headers: fresh(v) });
      expect(rotated.status).toBe(200);
      expect((await server.get(`/api/messages/${rotated.body.messageId}`)).body.trace.verification).toEqual({ scheme: 'custom-hmac', ok: true, matchedSecret: 'previous' });

      expect((await server.put(`/api/providers/${provider.id}`, { verification: { secret: v.secret, previousSecret: null } })).status).toBe(200);
    });
  });

  it('takes a Shopify redelivery, same X-Shopify-Webhook-Id, for a duplicate', async () => {
    const v = vector('SH-1');
    const headers = { 'X-Shopify-Webhook-Id': randomUUID() };
    const first = await send(v, { headers });
    expect(first.status).toBe(200);
    const again = await send(v, { headers });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ status: 'duplicate', duplicateOf: first.body.messageId });
  });

  describe('a signed timestamp (SL-1)', () => {
    const v = vector('SL-1');

    it("refuses the published request as too old, and an admin's resubmit overrides only that", async () => {
      const stale = await send(v);
      expect(stale.status).toBe(401);
      expect(stale.body.message).toMatch(/^Verification failed: timestamp outside tolerance \(\d+ s old, 300 s allowed\)$/);

      const resubmitted = await server.post(`/api/messages/${stale.body.messageId}/resubmit`, { sync: true });
      expect(resubmitted.status).toBe(200);
      expect(resubmitted.body.functions[0].result).toEqual({ provider: 'SL-1', eventType: '/webhook-collect', key: '/webhook-collect' });
      const copy = (await server.get(`/api/messages/${resubmitted.body.messageId}`)).body;
      expect(copy.trace.verification).toMatchObject({ scheme: 'custom-hmac', ok: false, overridden: true, reason: expect.stringMatching(/^timestamp outside tolerance/) });
    });

    it('accepts the same template signed now, and names the event from the form field', async () => {
      const signed = signDelivery('slack', { secret: v.secret, body: v.body });
      const result = await send(v, { headers: { 'X-Slack-Signature': signed['x-slack-signature'], 'X-Slack-Request-Timestamp': signed['x-slack-request-timestamp'] } });
      expect(result.status).toBe(200);
      expect(result.body.functions[0].result).toEqual({ provider: 'SL-1', eventType: '/webhook-collect', key: '/webhook-collect' });

      const replayed = await send(v, { headers: { 'X-Slack-Signature': signed['x-slack-signature'], 'X-Slack-Request-Timestamp': String(Number(signed['x-slack-request-timestamp']) + 1) } });
      expect(replayed.status).toBe(401);
      expect(replayed.body.message).toBe('Verification failed: signature does not match');
    });
  });

  it('keeps hostile names as data: quotes, backticks and ${} never become code', async () => {
    const uri = 'odd/it\'s"q"`b`${x}';
    const descriptor = { algorithm: 'hmac-sha256', header: "X-It's`Sig", format: 'sha256={hex}', pathSuffix: [uri, 'a"];return(true);'], eventField: '"]`${globalThis}' };
    const created = await server.post('/api/providers', { name: 'hostile', descriptor, verification: { secret: 's3cret' } });
    expect(created.status).toBe(201);
    expect(created.body.matchScript).toContain(`const uris = ${JSON.stringify(descriptor.pathSuffix)};`);
    await given(server).fn({ providerId: created.body.id, uri, script: REPORT });

    const body = JSON.stringify({ '"]`${globalThis}': 'odd.event' });
    const signature = signDelivery('generic-hmac', { secret: 's3cret', body })['x-signature-256'];
    const accepted = await server.webhook(encodeURIComponent(uri).replaceAll('%2F', '/'), body, { ...SYNC, "X-It's`Sig": signature });
    expect(accepted.status).toBe(200);
    expect(accepted.body.functions[0].result).toEqual({ provider: 'hostile', eventType: 'odd.event', key: 'odd.event' });

    // The injected `return true` would claim every uri; the provider owns only its own.
    const elsewhere = await server.webhook('somewhere/else', body, { "X-It's`Sig": signature });
    const message = (await server.get(`/api/messages/${elsewhere.headers.get('x-hookline-message-id')}`)).body;
    expect(message.status).toBe('no_provider');
    expect(message.trace.providers).toContainEqual(expect.objectContaining({ providerName: 'hostile', matched: false }));
  });

  describe('editing', () => {
    const base = { algorithm: 'hmac-sha256', header: 'X-Sig', pathSuffix: 'edit-me', eventHeader: 'X-Event' };
    let id: string;

    beforeAll(async () => {
      const created = await server.post('/api/providers', { name: 'edit-me', descriptor: base, verification: { secret: 'e' } });
      expect(created.status).toBe(201);
      expect(created.body.descriptor.pathSuffix).toEqual(['edit-me']);
      id = created.body.id;
    });

    it('keeps the descriptor when the script is edited, and says the provider no longer matches it', async () => {
      const edited = await server.put(`/api/providers/${id}`, { matchScript: 'return request.uri === "edit-me";' });
      expect(edited.status).toBe(200);
      expect(edited.body).toMatchObject({ matchScript: 'return request.uri === "edit-me";', descriptor: { pathSuffix: ['edit-me'] }, descriptorEdited: true });
    });

    it('regenerates everything from a descriptor sent again, with the fields sent beside it winning', async () => {
      const regenerated = await server.put(`/api/providers/${id}`, { descriptor: { ...base, algorithm: 'hmac-sha512', pathSuffix: ['edit-me', 'edit-too'] } });
      expect(regenerated.status).toBe(200);
      expect(regenerated.body).toMatchObject({ descriptorEdited: false, verification: { scheme: 'custom-hmac', secretConfigured: true, options: { algorithm: 'sha512' } } });
      expect(regenerated.body.matchScript).toContain('const uris = ["edit-me","edit-too"];');

      const beside = await server.put(`/api/providers/${id}`, { descriptor: base, verification: { options: { header: 'X-Other' } } });
      expect(beside.body).toMatchObject({ descriptorEdited: true, verification: { scheme: 'custom-hmac', options: { header: 'X-Other' } } });
    });

    it('restores an earlier version with the descriptor it had', async () => {
      const versions = (await server.get(`/api/providers/${id}/versions`)).body.items as Array<{ version: number }>;
      const first = Math.min(...versions.map((v) => v.version));
      expect((await server.get(`/api/providers/${id}/versions/${first}`)).body.content.descriptor).toEqual({ ...base, pathSuffix: ['edit-me'] });
      const restored = await server.post(`/api/providers/${id}/versions/${first}/restore`, {});
      expect(restored.status).toBe(200);
      expect(restored.body).toMatchObject({ descriptor: { ...base, pathSuffix: ['edit-me'] }, descriptorEdited: false, verification: { options: { algorithm: 'sha256', header: 'X-Sig' } } });
    });

    it('forgets the descriptor only together with an event format that does not need it', async () => {
      const refused = await server.put(`/api/providers/${id}`, { descriptor: null });
      expect(refused.status).toBe(400);
      expect(refused.body.fields).toEqual({ descriptor: 'cannot be removed while eventFormat is descriptor, which reads the event from it: send another eventFormat with it' });
      const forgotten = await server.put(`/api/providers/${id}`, { descriptor: null, eventFormat: 'generic' });
      expect(forgotten.status).toBe(200);
      expect(forgotten.body).toMatchObject({ descriptor: null, descriptorEdited: false, eventFormat: 'generic', verification: { scheme: 'custom-hmac' } });
    });

    it('refuses the descriptor event format on a provider without a descriptor', async () => {
      const plain = await given(server).provider({ matchScript: 'return false' });
      const refused = await server.put(`/api/providers/${plain.id}`, { eventFormat: 'descriptor' });
      expect(refused.status).toBe(400);
      expect(refused.body.fields.eventFormat).toMatch(/^descriptor reads the event from the provider's descriptor, and this provider has none/);
    });
  });

  it('previews what a descriptor generates without saving anything', async () => {
    const before = (await server.get('/api/providers')).body.length;
    const preview = await server.post('/api/providers/descriptor-preview', { descriptor: { ...vector('SH-1').descriptor, pathSuffix: '/shopify/' } });
    expect(preview.status).toBe(200);
    expect(preview.body).toEqual({
      descriptor: { ...vector('SH-1').descriptor, pathSuffix: ['shopify'] },
      matchScript: providers.get('SH-1').matchScript,
      verification: { scheme: 'custom-hmac', options: providers.get('SH-1').verification.options },
      eventFormat: 'descriptor',
    });
    expect((await server.get('/api/providers')).body.length).toBe(before);
  });

  it('answers 400 naming each field of a descriptor to fix', async () => {
    const cases: Array<[Record<string, unknown>, Record<string, string | RegExp>]> = [
      [{ algorithm: 'md5', pathSuffix: 'x', eventHeader: 'X-E' }, { 'descriptor.algorithm': 'must be one of hmac-sha256, hmac-sha1, hmac-sha512, none' }],
      [{ algorithm: 'hmac-sha256', pathSuffix: 'x', eventHeader: 'X-E' }, { 'descriptor.header': /^is required with hmac-sha256/ }],
      [
        { algorithm: 'hmac-sha256', header: 'X-S', format: 'b64', signedContent: '{ts}.{body}', pathSuffix: ['ok', 'shop/*'], eventHeader: 'X E' },
        {
          'descriptor.format': 'must be hex, base64, or a prefix followed by {hex} or {base64}, such as sha256={hex}',
          'descriptor.signedContent': 'has "{ts}" where a placeholder should be; the placeholders are {body} and {timestamp}',
          'descriptor.pathSuffix.1': /^is not a glob/,
          'descriptor.eventHeader': /^must be an HTTP header name/,
        },
      ],
      [
        { algorithm: 'hmac-sha256', header: 'X-S', signedContent: '{timestamp}.{body}', pathSuffix: 'x', eventHeader: 'X-E' },
        { descriptor: 'signedContent uses {timestamp}, so timestampHeader must name the header that carries it' },
      ],
      [{ algorithm: 'none', pathSuffix: [], eventField: 'type' }, { 'descriptor.pathSuffix': 'must name at least one uri' }],
      [{ algorithm: 'none', header: 'X-S', pathSuffix: 'x', eventHeader: 'X-E', eventField: 'type' }, { 'descriptor.header': /^must be left out: algorithm none/, 'descriptor.eventField': /^must be left out when eventHeader is given/ }],
      [{ algorithm: 'none', pathSuffix: 'x' }, { 'descriptor.eventHeader': /^or eventField is required/ }],
      [{ algorithm: 'none', pathSuffix: 'x', eventField: 'type', extra: 1 }, { 'descriptor.extra': /^is not a field here/ }],
    ];
    for (const [descriptor, fields] of cases) {
      const result = await server.post('/api/providers', { name: `bad-${randomUUID()}`, descriptor });
      expect(result.status).toBe(400);
      expect(Object.keys(result.body.fields).sort()).toEqual(Object.keys(fields).sort());
      for (const [field, message] of Object.entries(fields)) {
        if (typeof message === 'string') expect(result.body.fields[field]).toBe(message);
        else expect(result.body.fields[field]).toMatch(message);
      }
    }
    const neither = await server.post('/api/providers', { name: 'neither' });
    expect(neither.body.fields).toEqual({ matchScript: 'is required: a function body that returns true for requests this provider owns (or send a descriptor to generate one)' });
  });
});
