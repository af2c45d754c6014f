import { formatTraceparent, hasTraceparent, newSpanId, newTraceId, parseTraceparent } from './trace-context';

describe('parseTraceparent', () => {
  it('reads the trace id, parent span id and flags of a version 00 header', () => {
    expect(parseTraceparent('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01')).toEqual({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      flags: '01',
    });
  });

  it('accepts a later version with extra fields and ignores them', () => {
    expect(parseTraceparent('cc-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00-what-comes-next')?.flags).toBe('00');
  });

  it.each([
    ['absent', undefined],
    ['empty', ''],
    ['upper-case hex', '00-0AF7651916CD43DD8448EB211C80319C-B7AD6B7169203331-01'],
    ['an all-zero trace id', '00-00000000000000000000000000000000-b7ad6b7169203331-01'],
    ['an all-zero span id', '00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01'],
    ['version ff', 'ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'],
    ['version 00 with a fifth field', '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-x'],
    ['a short trace id', '00-0af7651916cd43dd8448eb211c8031-b7ad6b7169203331-01'],
  ])('refuses %s', (_name, header) => {
    expect(parseTraceparent(header)).toBeNull();
  });
});

describe('trace ids', () => {
  it('formats what it parses back to the same header', () => {
    const header = `00-${newTraceId()}-${newSpanId()}-01`;
    expect(formatTraceparent(parseTraceparent(header)!)).toBe(header);
  });

  it('makes ids of the right length that differ each time', () => {
    expect(newTraceId()).toMatch(/^[0-9a-f]{32}$/);
    expect(newSpanId()).toMatch(/^[0-9a-f]{16}$/);
    expect(newSpanId()).not.toBe(newSpanId());
  });

  it('finds a traceparent header in any case', () => {
    expect(hasTraceparent({ TraceParent: 'x' })).toBe(true);
    expect(hasTraceparent({ 'content-type': 'x' })).toBe(false);
    expect(hasTraceparent(undefined)).toBe(false);
  });
});
