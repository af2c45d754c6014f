/**
 * Draws lines inside a box, for the few things a person must not miss in a terminal
 * (a one-time password). Plain text inside, so it copies cleanly.
 */
export function textBox(lines: string[]): string {
  const width = Math.max(...lines.map((line) => line.length));
  const rule = '─'.repeat(width + 2);
  return [`┌${rule}┐`, ...lines.map((line) => `│ ${line.padEnd(width)} │`), `└${rule}┘`].join('\n');
}
