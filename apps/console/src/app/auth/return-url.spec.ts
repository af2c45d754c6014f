import { isServerPage, safeReturnUrl } from './return-url';

describe('the path the login returns to', () => {
  it('keeps a path on this server with its query and fragment', () => {
    expect(safeReturnUrl('/messages?status=failed#top')).toBe('/messages?status=failed#top');
    expect(safeReturnUrl('/api/reference')).toBe('/api/reference');
  });

  it('refuses anything that leads to another host or back to the login', () => {
    for (const value of ['https://evil.example/', '//evil.example/', '/\\evil.example/', '/\t/evil.example/', '/\n/evil.example', 'javascript:alert(1)', 'api/reference', '', null, undefined, '/login', '/login?returnUrl=/x']) {
      expect({ value, path: safeReturnUrl(value) }).toEqual({ value, path: '/' });
    }
  });

  it('tells the server’s own pages from console screens', () => {
    expect(isServerPage('/api/reference')).toBe(true);
    expect(isServerPage('/api/reference?x=1')).toBe(true);
    expect(isServerPage('/apis')).toBe(false);
    expect(isServerPage('/messages')).toBe(false);
  });
});
