import { placeholdersIn, placeholderText, type Placeholder } from './templates';

type Context = 'single quotes' | 'double quotes' | 'backticks' | 'a command substitution' | 'parentheses' | '${…}' | '$((…))' | 'a comment';

// Characters that end a shell word on either side of a placeholder.
const BEFORE_WORD = new Set([' ', '\t', '\n', ';', '&', '|', '(', '<', '>']);
const AFTER_WORD = new Set([' ', '\t', '\n', ';', '&', '|', ')', '<', '>']);
// Inside these, a single-quoted value is not one plain word: quotes are text, or the value is
// read twice (backticks are closed at the first backtick before quotes are parsed).
const NEVER_INSIDE: ReadonlySet<Context> = new Set(['backticks', '${…}', '$((…))', 'a comment']);

/**
 * For a command run with `/bin/sh -c`: each placeholder's value is single-quoted, which keeps it
 * one word only where the shell reads quotes normally. So every placeholder must be a whole word
 * outside any quotes, backticks, `${…}`, `$((…))`, comments and here-documents (a `$(…)`
 * substitution is fine: quoting starts afresh inside it). Returns why not, or null.
 */
export function checkShellPlaceholders(command: string): string | null {
  const placeholders = placeholdersIn(command);
  if (placeholders.length === 0) return null;
  const at = new Map<number, Placeholder>(placeholders.map((p) => [p.start, p]));
  const stack: Context[] = [];
  let heredoc = false;
  let i = 0;
  while (i < command.length) {
    const placeholder = at.get(i);
    if (placeholder !== undefined) {
      const problem = placement(command, placeholder, stack);
      if (problem !== null) return wholeWord(placeholder, problem);
      i = placeholder.end;
      continue;
    }
    const c = command[i] as string;
    const top = stack[stack.length - 1];
    if (top === 'single quotes') {
      if (c === "'") stack.pop();
      i++;
      continue;
    }
    if (top === 'a comment') {
      if (c === '\n') stack.pop();
      i++;
      continue;
    }
    if (c === '\\') {
      // An escaped placeholder would leave its value's opening quote escaped.
      const next = at.get(i + 1);
      if (next !== undefined) return wholeWord(next, 'is joined to other text (a backslash)');
      i += 2;
      continue;
    }
    if (top === 'double quotes' && c === '"') stack.pop();
    else if (top === 'backticks' && c === '`') stack.pop();
    else if (top === '${…}' && c === '}') stack.pop();
    else if (top === '$((…))' && command.startsWith('))', i)) {
      stack.pop();
      i++;
    } else if (command.startsWith('$((', i)) {
      stack.push('$((…))');
      i += 2;
    } else if (command.startsWith('$(', i)) {
      stack.push('a command substitution');
      i++;
    } else if (command.startsWith('${', i)) {
      stack.push('${…}');
      i++;
    } else if (c === '`') stack.push('backticks');
    else if (top !== 'double quotes') {
      if (c === "'") stack.push('single quotes');
      else if (c === '"') stack.push('double quotes');
      else if (c === '(') stack.push('parentheses');
      else if (c === ')' && (top === 'a command substitution' || top === 'parentheses')) stack.pop();
      else if (c === '#' && (i === 0 || BEFORE_WORD.has(command[i - 1] as string))) stack.push('a comment');
      else if (command.startsWith('<<', i)) heredoc = true;
    }
    i++;
  }
  if (heredoc) return wholeWord(placeholders[0] as Placeholder, 'is in a command that uses a here-document (<<), inside which quoting does not work');
  return null;
}

function placement(command: string, placeholder: Placeholder, stack: Context[]): string | null {
  const top = stack[stack.length - 1];
  if (top === 'single quotes' || top === 'double quotes') return `is inside ${top}`;
  const enclosing = [...stack].reverse().find((context) => NEVER_INSIDE.has(context));
  if (enclosing !== undefined) return `is inside ${enclosing}`;
  const before = placeholder.start === 0 ? ' ' : (command[placeholder.start - 1] as string);
  const after = placeholder.end === command.length ? ' ' : (command[placeholder.end] as string);
  if (!BEFORE_WORD.has(before) || !AFTER_WORD.has(after)) return 'is joined to other text';
  return null;
}

function wholeWord(placeholder: Placeholder, problem: string): string {
  return (
    `${placeholderText(placeholder)} ${problem}. With "shell": true each placeholder must be a whole word outside quotes, ` +
    `because its value is inserted single-quoted for the shell. Write it as a word of its own, or run the command without a shell, ` +
    `where a placeholder may sit anywhere in an argument (--ref={{webhook.ref}})`
  );
}
