import { renderUrl } from './render-url';
import type { TemplateContext } from './templates';

const context = (vars: Record<string, unknown>): TemplateContext => ({ webhook: { payload: null, payloadPath: null }, event: null, message: { id: 'm1' }, vars });

describe('renderUrl', () => {
  it('percent-encodes values in the path and the query, so they cannot add segments, parameters or a fragment', () => {
    const rendered = renderUrl('https://ci.example.com/build/{{vars.repo}}?ref={{vars.ref}}&n={{vars.n}}', context({ repo: '../admin/x?y=1#z', ref: 'a&b=c d/é', n: 5 }));
    expect(rendered).toEqual({ ok: true, value: 'https://ci.example.com/build/..%2Fadmin%2Fx%3Fy%3D1%23z?ref=a%26b%3Dc%20d%2F%C3%A9&n=5', warnings: [] });
    const url = new URL(rendered.ok ? rendered.value : '');
    expect(url.pathname).toBe('/build/..%2Fadmin%2Fx%3Fy%3D1%23z');
    expect([...url.searchParams]).toEqual([
      ['ref', 'a&b=c d/é'],
      ['n', '5'],
    ]);
  });

  it('encodes a lone surrogate instead of throwing', () => {
    expect(renderUrl('https://x.example/{{vars.v}}', context({ v: 'a\uD800' }))).toMatchObject({ ok: true, value: 'https://x.example/a%EF%BF%BD' });
  });

  it('takes a placeholder at the very start as the base URL, which must be absolute http or https', () => {
    expect(renderUrl('{{vars.base}}/hooks/{{vars.id}}', context({ base: 'https://ci.example.com/api', id: 'a/b' }))).toEqual({
      ok: true,
      value: 'https://ci.example.com/api/hooks/a%2Fb',
      warnings: [],
    });
    expect(renderUrl('{{vars.base}}/hooks', context({ base: 'file:///etc/passwd' }))).toEqual({
      ok: false,
      error: '{{vars.base}} starts the URL, so it must be an absolute http or https URL (a base such as https://ci.example.com), but its value is "file:///etc/passwd"',
      warnings: [],
    });
    expect(renderUrl('{{vars.base}}/hooks', context({}))).toMatchObject({ ok: false, warnings: ['{{vars.base}} has no value'] });
  });
});
