/**
 * POSIX single-quoting: the value becomes exactly one shell word, and nothing inside it
 * (`$`, backticks, `;`, newlines, `\`) is interpreted. A single quote cannot appear inside
 * single quotes, so each one closes the quote, adds an escaped quote and reopens: `'\''`.
 */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
