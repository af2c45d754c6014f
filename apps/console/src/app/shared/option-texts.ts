/** A scheme's options as a form's text inputs hold them, and back. */

/** The option texts a form starts with, from the stored options. */
export function optionTexts(options: Record<string, unknown> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(options ?? {}).map(([name, value]) => [name, typeof value === 'string' ? value : JSON.stringify(value)]));
}

/** What to send as `verification.options`: the scheme's options that have text, numbers as numbers. */
export function optionsOf(texts: Record<string, string>, names: readonly string[]): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const name of names) {
    const text = (texts[name] ?? '').trim();
    if (text) options[name] = /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
  }
  return options;
}
