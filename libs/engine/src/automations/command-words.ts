import { placeholdersIn, type Placeholder } from './templates';

export type SplitResult = { ok: true; words: string[] } | { ok: false; error: string };

// Outside quotes these mean something to a shell; passed as text they would surprise whoever wrote them.
const SHELL_SYNTAX = new Set(['|', '&', ';', '<', '>', '(', ')', '$', '`', '*', '?', '[']);
// Special only where a word starts: a comment and home-directory expansion.
const WORD_START_SYNTAX = new Set(['#', '~']);
const WHITESPACE = new Set([' ', '\t', '\n', '\r']);

/**
 * Splits a command into words the way a POSIX shell would, with none of its expansions, for a
 * command that runs without a shell. Whitespace separates words; single quotes keep everything
 * inside as is; double quotes keep everything but `\"`, `\\`, `\$` and `` \` ``; a backslash
 * outside quotes keeps the next character. Placeholders (`{{…}}`) are copied into their word
 * whole, even when they hold spaces or `|`, and are rendered later, each value inside its word.
 * Shell syntax outside quotes (`|`, `;`, `&&`, `>`, `$(`, backticks, globs) is refused, and so
 * are `$` and backticks inside double quotes: they cannot mean what a shell would make of them.
 */
export function splitCommandWords(command: string): SplitResult {
  const placeholders = new Map<number, Placeholder>(placeholdersIn(command).map((p) => [p.start, p]));
  const words: string[] = [];
  let word: string | null = null;
  let quote: "'" | '"' | null = null;
  let i = 0;
  const append = (text: string): void => {
    word = (word ?? '') + text;
  };

  while (i < command.length) {
    const placeholder = placeholders.get(i);
    if (placeholder !== undefined) {
      append(command.slice(placeholder.start, placeholder.end));
      i = placeholder.end;
      continue;
    }
    const c = command[i] as string;
    if (quote === "'") {
      if (c === "'") quote = null;
      else append(c);
      i++;
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === '\\' && i + 1 < command.length && '"\\$`'.includes(command[i + 1] as string)) {
        append(command[i + 1] as string);
        i++;
      } else if (c === '$' || c === '`') return { ok: false, error: insideDoubleQuotes(c, i) };
      else append(c);
      i++;
      continue;
    }
    if (WHITESPACE.has(c)) {
      if (word !== null) words.push(word);
      word = null;
    } else if (c === "'" || c === '"') {
      quote = c;
      append('');
    } else if (c === '\\') {
      if (i + 1 >= command.length) return { ok: false, error: 'ends with a backslash that escapes nothing' };
      // A backslash before a newline joins the lines, as in a shell.
      if (command[i + 1] !== '\n') append(command[i + 1] as string);
      i++;
    } else if (SHELL_SYNTAX.has(c) || (word === null && WORD_START_SYNTAX.has(c))) {
      return { ok: false, error: shellSyntax(command, i) };
    } else {
      append(c);
    }
    i++;
  }
  if (quote !== null) return { ok: false, error: `has a ${quote === "'" ? 'single' : 'double'} quote that is never closed` };
  if (word !== null) words.push(word);
  if (words.length === 0) return { ok: false, error: 'has no words: give the program to run' };
  return { ok: true, words };
}

function shellSyntax(command: string, at: number): string {
  const two = command.slice(at, at + 2);
  const shown = ['&&', '||', '$(', '>>', '<<'].includes(two) ? two : (command[at] as string);
  return (
    `has shell syntax "${shown}" at character ${at + 1}, but the command runs without a shell, which would pass it as text: ` +
    `quote it ('${shown}') if it is text, or set "shell": true to run the command with /bin/sh`
  );
}

function insideDoubleQuotes(c: string, at: number): string {
  return (
    `has "${c}" inside double quotes at character ${at + 1}, which a shell would expand, but the command runs without a shell: ` +
    `quote it in single quotes ('${c}') or with a backslash (\\${c}) if it is text, or set "shell": true to run the command with /bin/sh`
  );
}
