import { handshakeAnswer } from './handshake';

describe('handshakeAnswer', () => {
  it("answers Slack's url_verification with its challenge", () => {
    const payload = { token: 'Jhj5dZrVaK7ZwHHjRyZWjbDl', challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P', type: 'url_verification' };
    expect(handshakeAnswer('slack', payload)).toEqual({ status: 200, body: { challenge: payload.challenge } });
  });

  it('leaves everything else to the functions', () => {
    expect(handshakeAnswer('slack', { type: 'event_callback', event: {} })).toBeNull();
    expect(handshakeAnswer('slack', { type: 'url_verification' })).toBeNull();
    expect(handshakeAnswer('github', { type: 'url_verification', challenge: 'x' })).toBeNull();
    expect(handshakeAnswer('slack', null)).toBeNull();
  });
});
