import { descriptorVectors, lowerCaseHeaders } from '../../../../test/support/descriptor-vectors';
import { eventSourceOf, type WebhookDescriptor } from '../descriptor';
import { describeEvent } from './describe-event';
import { fieldText } from './descriptor-event';

const payloadOf = (body: Buffer, contentType: string): unknown =>
  contentType.startsWith('application/json') ? JSON.parse(body.toString('utf8')) : Object.fromEntries(new URLSearchParams(body.toString('utf8')));

describe('the descriptor event format', () => {
  it.each(descriptorVectors().map((v) => [v.id, v] as const))('names the event of vector %s where its descriptor says', (_id, vector) => {
    const source = eventSourceOf(vector.descriptor as unknown as WebhookDescriptor);
    const named = describeEvent('descriptor', { headers: lowerCaseHeaders(vector.headers), payload: payloadOf(vector.body, vector.headers['Content-Type']) }, source);
    expect(named).toEqual({
      eventType: vector.eventType,
      deliveryId: vector.deliveryId,
      event: { provider: 'descriptor', type: vector.eventType, action: null, key: vector.eventType.toLowerCase() },
    });
  });

  it('picks up the conventional fields, as the generic format does', () => {
    const payload = { kind: 'Deploy', action: 'Finished', ref: 'refs/heads/main', sha: 'abc123', before: '000111' };
    expect(describeEvent('descriptor', { headers: {}, payload }, { field: 'kind' })).toEqual({
      eventType: 'Deploy',
      deliveryId: null,
      event: { provider: 'descriptor', type: 'Deploy', action: 'Finished', key: 'deploy:finished', branch: 'main', sha: 'abc123', beforeSha: '000111' },
    });
  });

  it('names nothing when the header or field is missing, blank, or not text, and without a source', () => {
    const headers = { 'x-topic': '  ' };
    expect(describeEvent('descriptor', { headers, payload: null }, { header: 'x-topic' })).toEqual({ eventType: null, event: null, deliveryId: null });
    expect(describeEvent('descriptor', { headers: {}, payload: { meta: { event: { nested: 1 } } } }, { field: 'meta.event' }).eventType).toBeNull();
    expect(describeEvent('descriptor', { headers: { 'x-topic': 'a' }, payload: null }).eventType).toBeNull();
  });

  it('reads names that look like code as plain names', () => {
    const name = '"]`${globalThis["process"]}';
    expect(describeEvent('descriptor', { headers: {}, payload: { [name]: 'hostile.ok' } }, { field: name }).eventType).toBe('hostile.ok');
  });
});

describe('fieldText', () => {
  const payload = { events: [{ type: 'a.b' }], count: 3, meta: { 'x-y': 'z' }, empty: '' };

  it('walks own properties and array indexes', () => {
    expect(fieldText(payload, 'events.0.type')).toBe('a.b');
    expect(fieldText(payload, 'count')).toBe('3');
    expect(fieldText(payload, 'meta.x-y')).toBe('z');
  });

  it('finds nothing through inherited properties, past the end, or in empty text', () => {
    expect(fieldText(payload, 'constructor')).toBeNull();
    expect(fieldText(payload, 'events.1.type')).toBeNull();
    expect(fieldText(payload, 'events.length')).toBeNull();
    expect(fieldText(payload, 'empty')).toBeNull();
    expect(fieldText('text', 'length')).toBeNull();
  });
});
