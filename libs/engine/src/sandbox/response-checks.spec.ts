import { checkResponseHeaders } from './response-checks';

describe('checkResponseHeaders', () => {
  it('keeps valid headers with lower-case names, tabs and Latin-1 in values', () => {
    expect(checkResponseHeaders({ 'X-Build': 'id\t42', 'Content-Type': 'text/plain; charset=latin1', 'x-name': 'café' })).toEqual({
      headers: { 'x-build': 'id\t42', 'content-type': 'text/plain; charset=latin1', 'x-name': 'café' },
      problems: [],
    });
  });

  it.each([
    ['a CR LF pair', { 'x-split': 'a\r\nset-cookie: x=1' }, 'its value contains a control character'],
    ['a NUL', { 'x-nul': 'a\0b' }, 'its value contains a control character'],
    ['a bell', { 'x-bell': 'a\u0007b' }, 'its value contains a control character'],
    ['a DEL', { 'x-del': 'a\u007fb' }, 'its value contains a control character'],
    ['a character past U+00FF', { 'x-wide': 'a\u20acb' }, 'its value contains a control character'],
    ['a space in the name', { 'bad name': 'v' }, 'not a valid header name'],
    ['a colon in the name', { 'x:y': 'v' }, 'not a valid header name'],
    ['a framing header', { 'Content-Length': '5' }, 'the server sets this header itself'],
    ['transfer-encoding', { 'transfer-encoding': 'chunked' }, 'the server sets this header itself'],
    ['a value that is not a string', { 'x-number': 5 }, 'its value is not a string'],
  ])('drops a header with %s and says why', (_what, headers, reason) => {
    const checked = checkResponseHeaders({ 'x-kept': 'yes', ...headers });
    expect(checked.headers).toEqual({ 'x-kept': 'yes' });
    expect(checked.problems).toEqual([expect.stringContaining(`respond(): dropped header ${JSON.stringify(Object.keys(headers)[0])}: ${reason}`)]);
  });

  it('returns nothing for headers that are not an object', () => {
    expect(checkResponseHeaders('x-a: b')).toEqual({ headers: {}, problems: [] });
  });
});
