import { closingQuote, isNestedDeeperThan, MAX_JSON_DEPTH, parseForm, parseRequest, TOO_DEEP_NOTE } from './parse-body';
import type { InboundRequest } from './message';

function inbound(body: string, contentType = 'application/json'): InboundRequest {
  return { method: 'POST', uri: 'a', path: '/webhooks/a', query: {}, headers: {}, rawBody: Buffer.from(body), contentType, sourceAddress: null, receivedAt: new Date() };
}

describe('parsing a request body', () => {
  it('counts only brackets outside strings, escaped quotes included', () => {
    expect(isNestedDeeperThan('{"a":"[[[[\\"[[["}', 1)).toBe(false);
    expect(isNestedDeeperThan('[{"a":[]}]', 2)).toBe(true);
    expect(isNestedDeeperThan('[[],[],[]]', 2)).toBe(false);
  });

  it('ends a string at a quote after an even run of backslashes, not after an odd one', () => {
    // "\\" is one escaped backslash, so its quote closes the string and the brackets count.
    expect(isNestedDeeperThan('["\\\\", [[1]]]', 2)).toBe(true);
    // "\\\"[[" escapes the quote: the brackets stay inside the string.
    expect(isNestedDeeperThan('["\\\\\\"[[", 1]', 1)).toBe(false);
    expect(closingQuote('"a\\\\\\"b\\\\"c', 0)).toBe(9);
    // An unterminated string runs to the end of the text.
    expect(closingQuote('"[[[', 0)).toBe(4);
  });

  it(`parses JSON nested ${MAX_JSON_DEPTH} deep and refuses one level more, with a note`, () => {
    const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
    expect(parseRequest(inbound(nested(MAX_JSON_DEPTH)))).toMatchObject({ request: { json: [expect.anything()] }, notes: [] });
    expect(parseRequest(inbound(nested(MAX_JSON_DEPTH + 1)))).toMatchObject({ request: { json: null }, notes: [TOO_DEEP_NOTE] });
  });

  it('keeps form names like __proto__ and toString as fields of an object without a prototype', () => {
    const form = parseForm('toString=1&__proto__=a&__proto__=b&constructor=c');
    expect(Object.getPrototypeOf(form)).toBeNull();
    expect(Object.entries(form)).toEqual([
      ['toString', '1'],
      ['__proto__', ['a', 'b']],
      ['constructor', 'c'],
    ]);
  });
});
