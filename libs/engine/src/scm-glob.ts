/**
 * Glob patterns for watched branches and changed paths. A pattern is matched against the whole
 * name, segment by segment (segments are separated by `/`):
 *
 * - `*` matches any run of characters within one segment, `?` exactly one character;
 * - a segment that is exactly `**` matches zero or more whole segments: `src/**` matches
 *   everything under `src` (and `src` itself), `**` alone matches everything, and a `**` segment
 *   between `docs` and `*.md` matches Markdown files under `docs` at any depth; `**` inside a
 *   segment (`a**`) is the same as `*`;
 * - every other character, dots and leading dots included, stands for itself, case-sensitive:
 *   a name without `*` or `?` matches exactly that name;
 * - a leading `/` is ignored and a trailing `/` means "everything under": `src/` is `src/**`.
 *
 * There are no character classes or braces: `[`, `]`, `{` and `}` stand for themselves. The
 * matcher backtracks only to the last star, so its time is bounded by the product of the lengths
 * of the pattern and the name, whatever the pattern.
 */

/** Whether an entry is a pattern rather than an exact name. */
export function isGlobPattern(entry: string): boolean {
  return /[*?]/.test(entry);
}

/** Whether `name` (a branch name or a file path) matches `pattern`. */
export function matchesGlob(pattern: string, name: string): boolean {
  let normalized = pattern.replace(/^\/+/, '');
  if (normalized.endsWith('/')) normalized += '**';
  return matchSequence(
    normalized.split('/'),
    name.replace(/^\/+/, '').split('/'),
    (segment) => segment === '**',
    matchesSegment,
  );
}

/** Whether `name` matches at least one of `patterns`. */
export function matchesAnyGlob(patterns: readonly string[], name: string): boolean {
  return patterns.some((pattern) => matchesGlob(pattern, name));
}

function matchesSegment(pattern: string, segment: string): boolean {
  return matchSequence(
    Array.from(pattern),
    Array.from(segment),
    (char) => char === '*',
    (char, actual) => char === '?' || char === actual,
  );
}

/**
 * Wildcard matching over any sequence: a star item matches zero or more items, any other item
 * exactly one item it accepts. On a mismatch only the latest star takes one more item; an earlier
 * star never needs to, because the items between two stars are matched as early as they can be.
 */
function matchSequence<P, T>(pattern: readonly P[], items: readonly T[], isStar: (p: P) => boolean, accepts: (p: P, item: T) => boolean): boolean {
  let p = 0;
  let i = 0;
  let star = -1;
  let starItem = 0;
  while (i < items.length) {
    if (p < pattern.length && isStar(pattern[p])) {
      star = p++;
      starItem = i;
    } else if (p < pattern.length && accepts(pattern[p], items[i])) {
      p++;
      i++;
    } else if (star >= 0) {
      p = star + 1;
      i = ++starItem;
    } else {
      return false;
    }
  }
  while (p < pattern.length && isStar(pattern[p])) p++;
  return p === pattern.length;
}
