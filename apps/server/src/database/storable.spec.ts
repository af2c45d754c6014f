import { findRefusedText, storableJson, storableText } from './storable';

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

describe('findRefusedText', () => {
  it('names the path of the first key or value PostgreSQL would refuse, and null when there is none', () => {
    expect(findRefusedText({ name: 'ok', target: { headers: { 'x-a': 'b' }, url: 'http://h/\u0000' } })).toBe('target.url');
    expect(findRefusedText({ items: ['a', 'b\ud800'] })).toBe('items.1');
    expect(findRefusedText({ ['k\u0000']: 1 })).toBe('k\u0000');
    expect(findRefusedText('\udc00')).toBe('(the whole body)');
    expect(findRefusedText({ pair: '\ud83d\ude00', nested: [{ deep: 'fine' }] })).toBeNull();
  });

  it('walks input nested 100,000 levels deep without exhausting the stack', () => {
    const deep = JSON.parse('['.repeat(100_000) + '"\\u0000"' + ']'.repeat(100_000)) as unknown;
    expect(findRefusedText(deep)).toBe(Array.from({ length: 100_000 }, () => '0').join('.'));
  });
});
