import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeEvent } from './describe-event';
import { EVENT_FORMATS } from './event-types';

const FIXTURES = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures');
const fixture = (path: string): Record<string, any> => JSON.parse(readFileSync(join(FIXTURES, path), 'utf8'));

describe('describeEvent', () => {
  describe('Stripe', () => {
    it('uses the body type as event type and key, and the event id as delivery id', () => {
      expect(describeEvent('stripe', { headers: { 'stripe-signature': 't=1533204620,v1=2220f87e' }, payload: fixture('stripe/customer-created.json') })).toEqual({
        eventType: 'customer.created',
        deliveryId: 'evt_123',
        event: { provider: 'stripe', type: 'customer.created', action: null, key: 'customer.created' },
      });
      const paid = describeEvent('stripe', { headers: {}, payload: fixture('stripe/payment-intent-succeeded.json') });
      expect(paid).toMatchObject({ eventType: 'payment_intent.succeeded', deliveryId: 'evt_3MtwBwLkdIwHu7ix28a3tqPa', event: { key: 'payment_intent.succeeded' } });
    });
  });

  describe('Standard Webhooks', () => {
    const payload = fixture('svix/invoice-paid.json');

    it('uses the body type as event type and key, and svix-id as delivery id', () => {
      expect(describeEvent('standard-webhooks', { headers: { 'svix-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek', 'svix-timestamp': '1614265330' }, payload })).toEqual({
        eventType: 'invoice.paid',
        deliveryId: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
        event: { provider: 'standard-webhooks', type: 'invoice.paid', action: null, key: 'invoice.paid' },
      });
    });

    it('takes webhook-id from senders that use the standard header names', () => {
      expect(describeEvent('standard-webhooks', { headers: { 'webhook-id': 'msg_27UH4WbU6Z5A5EzD8u03UvzRbpk' }, payload }).deliveryId).toBe('msg_27UH4WbU6Z5A5EzD8u03UvzRbpk');
    });

    it('keeps the message id of a body without a type', () => {
      expect(describeEvent('standard-webhooks', { headers: { 'webhook-id': 'msg_1' }, payload: { test: 2432232314 } })).toEqual({ eventType: null, event: null, deliveryId: 'msg_1' });
    });
  });

  describe('generic', () => {
    it('takes the type from X-Event-Type first, and picks up the usual fields', () => {
      const described = describeEvent('generic', { headers: { 'x-event-type': 'Deploy', 'x-request-id': 'req-77' }, payload: fixture('generic/deploy.json') });
      expect(described).toEqual({
        eventType: 'Deploy',
        deliveryId: 'req-77',
        event: { provider: 'generic', type: 'Deploy', action: 'finished', key: 'deploy:finished', branch: 'main', sha: '4f2a1c9e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39' },
      });
    });

    it('falls back to X-Event, then the body type, then the body event', () => {
      expect(describeEvent('generic', { headers: { 'x-event': 'build' }, payload: { type: 'other' } }).eventType).toBe('build');
      expect(describeEvent('generic', { headers: {}, payload: { type: 'user.created', event: 'other' } }).eventType).toBe('user.created');
      expect(describeEvent('generic', { headers: {}, payload: fixture('generic-hmac/nightly-smoke.json') })).toMatchObject({
        eventType: 'nightly-smoke',
        deliveryId: null,
        event: { key: 'nightly-smoke', sha: '0123456789abcdef0123456789abcdef01234567' },
      });
    });

    it('takes the delivery id from X-Delivery-Id, X-Request-Id or Idempotency-Key', () => {
      expect(describeEvent('generic', { headers: { 'x-delivery-id': 'd1', 'x-request-id': 'r1' }, payload: null }).deliveryId).toBe('d1');
      expect(describeEvent('generic', { headers: { 'idempotency-key': 'k1' }, payload: null })).toEqual({ eventType: null, event: null, deliveryId: 'k1' });
    });
  });

  it('none names nothing, whatever arrives', () => {
    expect(describeEvent('none', { headers: { 'x-github-event': 'push', 'x-event-type': 'x' }, payload: { type: 'x', id: 'y' } })).toEqual({ eventType: null, event: null, deliveryId: null });
  });

  it('names nothing for a format it does not know rather than throwing', () => {
    expect(describeEvent('carrier-pigeon' as never, { headers: {}, payload: {} })).toEqual({ eventType: null, event: null, deliveryId: null });
  });

  describe('never throws', () => {
    const HEADERS = {
      'x-github-event': 'pull_request',
      'x-gitlab-event': 'Merge Request Hook',
      'x-event-key': 'pullrequest:fulfilled',
      'x-event-type': 'thing',
    };
    const hostile: unknown[] = [
      null,
      undefined,
      '',
      'text',
      0,
      true,
      [],
      [{}],
      {},
      { payload: '[1,2' },
      { payload: 'null' },
      { object_kind: null, object_attributes: 'x', project: [] },
      { eventType: 'git.push', resource: null },
      { eventType: 'git.pullrequest.merged', resource: { repository: 5, pullRequestId: '1e3' } },
      { eventType: 'build.complete', resource: { sourceGetVersion: 12 } },
      { push: { changes: 'none' }, pullrequest: { id: {} } },
      { pullRequest: { fromRef: null, links: { self: 'x' } }, eventKey: 'pr:opened' },
      { changes: [null] },
      { webhookEvent: 'jira:issue_updated', changelog: { items: 'x' }, issue: { self: 3 } },
      { type: 'event_callback', event: 'x', command: 42 },
      { type: 12, id: {} },
      Object.create(null),
      JSON.parse('{"__proto__": {"polluted": true}, "action": "constructor", "object_attributes": {"action": "constructor"}}'),
      { object_kind: 'merge_request', object_attributes: { action: 'toString', iid: 1.5 } },
    ];

    it.each(EVENT_FORMATS.map((format) => [format]))('for format %s and hostile payloads', (format) => {
      for (const payload of hostile) {
        for (const headers of [HEADERS, {}, { 'x-github-event': '' }] as Array<Record<string, string>>) {
          const described = describeEvent(format, { headers, payload });
          expect(Object.keys(described).sort()).toEqual(['deliveryId', 'event', 'eventType']);
          if (described.event !== null) expect(typeof described.event.key).toBe('string');
        }
      }
    });

    it('survives headers that are not there at all', () => {
      for (const format of EVENT_FORMATS) {
        expect(() => describeEvent(format, { headers: undefined as never, payload: {} })).not.toThrow();
      }
    });
  });
});
