/**
 * Turning a stored request back into text: the `curl` command that sends it again, and a hex
 * dump of its bytes. Pure functions over the message's own fields.
 */

/** Headers curl works out by itself, or that would be wrong for a new request. */
const LEFT_OUT = new Set(['host', 'content-length', 'connection', 'transfer-encoding', 'accept-encoding', 'expect']);

export interface CurlSource {
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  headers: Record<string, string>;
  /** The body as text, or null when it is binary. */
  body: string | null;
  bodySize: number;
}

/** A shell-safe `curl` command that sends the request to `origin` as it was received. */
export function curlCommand(origin: string, request: CurlSource, bodyFile = 'body.bin'): string {
  const url = origin + request.path + queryString(request.query);
  const lines = [`curl -X ${request.method} ${quote(url)}`];
  for (const [name, value] of Object.entries(request.headers)) {
    if (!LEFT_OUT.has(name.toLowerCase())) lines.push(`-H ${quote(`${name}: ${value}`)}`);
  }
  if (request.bodySize > 0) lines.push(request.body === null ? `--data-binary @${bodyFile}` : `--data-binary ${quote(request.body)}`);
  return lines.join(' \\\n  ');
}

/** `?a=1&b=2&b=3`, or '' without a query. */
export function queryString(query: Record<string, string | string[]>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) for (const one of Array.isArray(value) ? value : [value]) params.append(name, one);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** POSIX shell single quotes: nothing inside is special except the quote itself. */
export function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Sixteen bytes a line: offset, bytes in hex, and the printable ASCII beside them. */
export function hexDump(bytes: Uint8Array): string {
  const lines: string[] = [];
  for (let offset = 0; offset < bytes.length; offset += 16) {
    const row = bytes.subarray(offset, offset + 16);
    const hex = Array.from(row, (b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = Array.from(row, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${offset.toString(16).padStart(8, '0')}  ${hex.padEnd(47)}  ${ascii}`);
  }
  return lines.join('\n');
}

/** The body indented when it is JSON; undefined when it is not. */
export function prettyJson(body: string | null): string | undefined {
  if (body === null) return undefined;
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return undefined;
  }
}
