/** Which of a 400's field messages a form shows where: plain functions, shared by FieldError and ErrorBanner. */

/** The messages for `field`, and with `items` for its entries (`field.0` is "entry 1"), in the order the server gave them. */
export function fieldMessages(fields: Readonly<Record<string, string>>, field: string, items: boolean): string[] {
  const messages: string[] = [];
  for (const [name, message] of Object.entries(fields)) {
    if (name === field) messages.push(message);
    else if (items && name.startsWith(`${field}.`) && /^\d+$/.test(name.slice(field.length + 1))) messages.push(`entry ${Number(name.slice(field.length + 1)) + 1}: ${message}`);
  }
  return messages;
}

/** Whether a field the server named is shown beside an input: named itself, or an entry of a list named as `list.*`. */
export function isShownField(shown: ReadonlySet<string>, field: string): boolean {
  return shown.has(field) || shown.has(field.replace(/\.\d+$/, '.*'));
}
