import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findScriptsFolder } from '../scripts-folder';
import { type GeneratedProvider, type WebhookDescriptor, verificationOf } from './webhook-descriptor';

/**
 * The settings a descriptor makes: the match script (the template with its `pathSuffix`), the
 * verification and the `descriptor` event format. Pure but for reading the template once.
 */
export function generateFromDescriptor(descriptor: WebhookDescriptor): GeneratedProvider {
  return { matchScript: renderMatchScript(descriptor.pathSuffix), verification: verificationOf(descriptor), eventFormat: 'descriptor' };
}

/** The one line of the template the descriptor fills in. */
const URIS_LINE = /^const uris = .*;$/m;

/**
 * The template with its `const uris = [...]` line holding `uris`. The uris come from outside, so
 * they enter the script only as a JSON literal, and the replacement is a function so that `$&`
 * and the like in a uri stay text.
 */
export function renderMatchScript(uris: readonly string[], template: string = readMatchTemplate()): string {
  if (template.match(new RegExp(URIS_LINE.source, 'gm'))?.length !== 1) {
    throw new Error('The descriptor match template must have exactly one "const uris = ...;" line');
  }
  return template.replace(URIS_LINE, () => `const uris = ${scriptLiteral(uris)};`);
}

/**
 * A value as a JavaScript literal. JSON is one, except that U+2028 and U+2029 end a line in a
 * comment; they are escaped too, so no text can leave the literal it was put in.
 */
export function scriptLiteral(value: unknown): string {
  return JSON.stringify(value).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

let template: string | undefined;

/** `scripts/descriptor/match.js`, found from the sources and from `dist/` alike. */
export function readMatchTemplate(): string {
  return (template ??= readFileSync(join(findScriptsFolder(__dirname, join('scripts', 'descriptor')), 'match.js'), 'utf8'));
}
