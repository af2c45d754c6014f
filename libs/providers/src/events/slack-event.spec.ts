import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeEvent } from './describe-event';

const FIXTURES = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'slack');
const raw = (name: string): string => readFileSync(join(FIXTURES, name), 'utf8');
const fixture = (name: string): Record<string, any> => JSON.parse(raw(name));
const formOf = (body: string): Record<string, string> => Object.fromEntries(new URLSearchParams(body));

const HEADERS = { 'x-slack-signature': 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503', 'x-slack-request-timestamp': '1531420618' };
const describeSlack = (payload: unknown) => describeEvent('slack', { headers: HEADERS, payload });

describe('describeEvent: Slack', () => {
  it('names url_verification by the body type; it has no delivery id', () => {
    expect(describeSlack(fixture('url-verification.json'))).toEqual({
      eventType: 'url_verification',
      deliveryId: null,
      event: { provider: 'slack', type: 'url_verification', action: null, key: 'url_verification' },
    });
  });

  it('names an Events API callback, its inner event as the action and event_id as the delivery id', () => {
    expect(describeSlack(fixture('event-callback.json'))).toEqual({
      eventType: 'event_callback',
      deliveryId: 'Ev123ABC456',
      event: { provider: 'slack', type: 'event_callback', action: 'app_mention', key: 'event_callback:app_mention', actor: 'U123ABC456' },
    });
  });

  it('names a form-encoded slash command slash_command, with the command as the action', () => {
    expect(describeSlack(formOf(raw('slash-command.txt')))).toEqual({
      eventType: 'slash_command',
      deliveryId: null,
      event: { provider: 'slack', type: 'slash_command', action: '/webhook-collect', key: 'slash_command:/webhook-collect', actor: 'roadrunner' },
    });
  });

  it('reads an interactivity post from the JSON in its payload field', () => {
    const payload = { type: 'block_actions', user: { id: 'U123ABC456', username: 'roadrunner' }, actions: [{ action_id: 'approve' }] };
    expect(describeSlack({ payload: JSON.stringify(payload) }).event).toMatchObject({ type: 'block_actions', key: 'block_actions', actor: 'roadrunner' });
  });
});
