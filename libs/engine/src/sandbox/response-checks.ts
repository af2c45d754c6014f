/** Largest `respond()` body, in bytes as sent: the same cap as an `http.fetch` answer. */
export const RESPOND_BODY_LIMIT = 1024 * 1024;

/** RFC 7230 `token`: the characters a header name may hold. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/**
 * RFC 7230 `field-value` as Node enforces it: tab, visible ASCII, space and Latin-1. Anything
 * else (CR, LF, NUL, other controls, wider characters) would make Node refuse the whole answer.
 */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
/** Framing and connection headers belong to the server; a script setting them could desync the reply. */
const SERVER_HEADERS: ReadonlySet<string> = new Set([
  'connection',
  'content-length',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** The headers that may be sent, names lower-cased, and why each other one was dropped. */
export function checkResponseHeaders(headers: unknown): { headers: Record<string, string>; problems: string[] } {
  const kept: Record<string, string> = {};
  const problems: string[] = [];
  if (typeof headers !== 'object' || headers === null) return { headers: kept, problems };
  for (const [name, value] of Object.entries(headers)) {
    const problem = headerProblem(name, value);
    if (problem === null) kept[name.toLowerCase()] = value as string;
    else problems.push(`respond(): dropped header ${JSON.stringify(name)}: ${problem}`);
  }
  return { headers: kept, problems };
}

function headerProblem(name: string, value: unknown): string | null {
  if (!HEADER_NAME.test(name)) return 'not a valid header name (RFC 7230 token characters only)';
  if (SERVER_HEADERS.has(name.toLowerCase())) return 'the server sets this header itself';
  if (typeof value !== 'string') return 'its value is not a string';
  if (!HEADER_VALUE.test(value)) return 'its value contains a control character (CR, LF, NUL, ...) or a character past U+00FF';
  return null;
}
