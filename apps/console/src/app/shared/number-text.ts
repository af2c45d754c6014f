/** Numbers as a form's text inputs hold them, and back. */

/** The number typed, or the text itself (trimmed) when it is none, for the server to name the problem. */
export function numberOrText(text: string): number | string {
  const trimmed = text.trim();
  return trimmed !== '' && Number.isFinite(Number(trimmed)) ? Number(trimmed) : trimmed;
}

/** A stored number as an input shows it; empty when there is none. */
export function textOf(value: number | undefined): string {
  return value === undefined ? '' : String(value);
}
