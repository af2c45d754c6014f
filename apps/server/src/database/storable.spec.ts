import { storableJson, storableText } from './storable';

describe('storable text and JSON', () => {
  it('replaces U+0000 and lone surrogates in text, keeping surrogate pairs', () => {
    expect(storableText('a\u0000b\ud800c\udc00d😀')).toBe('a\ufffdb\ufffdc\ufffdd😀');
  });

  it('replaces them in JSON values and keys, and leaves an escaped backslash before "u0000" alone', () => {
    const value = JSON.parse('{"k\\u0000":"\\ud800","list":["\\\\u0000","x\\u0000"],"__proto__":"kept","ok":"😀"}');
    const stored = storableJson(value);
    expect(JSON.stringify(stored)).toBe('{"k\ufffd":"\ufffd","list":["\\\\u0000","x\ufffd"],"__proto__":"kept","ok":"😀"}');
    expect(Object.keys(stored)).toContain('__proto__');
  });

  it('returns a value without refused characters as it is', () => {
    const value = { a: 'plain', b: [1, 2] };
    expect(storableJson(value)).toBe(value);
  });
});
