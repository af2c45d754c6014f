import { decodeBase64, decodeHex, hmac } from './hmac';

describe('hmac', () => {
  // ST-2: stripe-node's HMAC primitive vectors (no "t." prefix), key test_secret.
  it.each([
    ['ST-2a (empty body)', Buffer.alloc(0), 'f7f9bd47fb987337b5796fdc1fdb9ba221d0d5396814bfcaf9521f43fd8927fd'],
    ['ST-2b', Buffer.from('{"obj1":"hello","obj2":"world"}'), 'bebb1a643997f419b315ddba19e6f5411e1ce7f810ba6d3617ce72823092f363'],
    ['ST-2c (U+1F600)', Buffer.from([0xf0, 0x9f, 0x98, 0x80]), '837da296d05c4fe31f61d5d7ead035099d9585a5bcde87de952012a78f0b0c43'],
  ])('computes %s', (_id, body, expected) => {
    expect(hmac('sha256', 'test_secret', body).toString('hex')).toBe(expected);
  });

  it('hashes its parts as one message', () => {
    expect(hmac('sha256', 'k', 'v0:1:', Buffer.from('body'))).toEqual(hmac('sha256', 'k', Buffer.from('v0:1:body')));
  });
});

describe('decodeHex', () => {
  it('decodes either case and refuses anything that is not whole bytes of hex', () => {
    expect(decodeHex('00ffAB')).toEqual(Buffer.from([0, 255, 171]));
    for (const text of ['', 'abc', 'zz', '0x00', 'ab cd']) expect(decodeHex(text)).toBeUndefined();
  });
});

describe('decodeBase64', () => {
  it('decodes standard base64 with or without padding', () => {
    expect(decodeBase64('aGk=')).toEqual(Buffer.from('hi'));
    expect(decodeBase64('aGk')).toEqual(Buffer.from('hi'));
    expect(decodeBase64('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')).toHaveLength(24);
  });

  it('refuses what Buffer.from would silently accept', () => {
    for (const text of ['', 'a', 'aGk=x', 'aG=k', 'a-_b', 'aGk==', 'aGk =', '!!!!', 'aG\nk=']) expect(decodeBase64(text)).toBeUndefined();
  });
});
