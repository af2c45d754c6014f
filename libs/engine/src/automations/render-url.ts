import { placeholderText, renderTemplate, type TemplateContext } from './templates';

export type RenderedUrl = { ok: true; value: string; warnings: string[] } | { ok: false; error: string; warnings: string[] };

/**
 * Renders an http target's URL. Each value is percent-encoded (`encodeURIComponent`), so a
 * payload cannot add path segments, query parameters or a fragment. A placeholder at the very
 * start of the URL is its base instead: inserted as is, and it must be an absolute http(s) URL.
 */
export function renderUrl(template: string, context: TemplateContext): RenderedUrl {
  let problem: string | null = null;
  const rendered = renderTemplate(template, context, {
    transform: (value, placeholder) => {
      if (placeholder.start > 0) return encodeURIComponent(wellFormed(value));
      if (problem === null && !isHttpUrl(value)) {
        problem = `${placeholderText(placeholder)} starts the URL, so it must be an absolute http or https URL (a base such as https://ci.example.com), but its value is "${value.slice(0, 200)}"`;
      }
      return value;
    },
  });
  return problem === null ? { ok: true, ...rendered } : { ok: false, error: problem, warnings: rendered.warnings };
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** encodeURIComponent throws on a lone surrogate, which JSON can carry; it becomes U+FFFD. */
function wellFormed(value: string): string {
  return value.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}
