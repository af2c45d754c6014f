import { splitCommandWords } from './command-words';
import { checkShellPlaceholders } from './shell-placeholders';
import { shellQuote } from './shell-quote';
import { placeholderText, renderTemplate, unknownFilterError, type Placeholder, type TemplateContext } from './templates';

/** How a command target runs: a list of argument templates run as is, or a string run by `/bin/sh -c`. */
export type CommandLine = { shell: false; argv: string[] } | { shell: true; command: string };

/** What an admin sends: a command string, or an argv list; `shell` asks for `/bin/sh -c`. */
export interface CommandFields {
  command?: string | null;
  argv?: string[] | null;
  shell?: boolean;
}

export type PreparedCommand = { ok: true; line: CommandLine } | { ok: false; field: 'command' | 'argv' | null; error: string };

export type RenderedCommand =
  | { ok: true; argv: string[]; shown: { argv: string[] } | { command: string }; warnings: string[] }
  | { ok: false; error: string; warnings: string[] };

/** Linux's limit on one argument (MAX_ARG_STRLEN, 32 pages), less its terminating NUL. */
export const MAX_ARGUMENT_BYTES = 128 * 1024 - 1;

const SHELL = '/bin/sh';

/**
 * Checks a command target when it is saved and turns it into the line that runs. Without
 * `shell`, a command string is split into words once, here, so what is stored is what runs.
 */
export function prepareCommand(fields: CommandFields): PreparedCommand {
  const command = fields.command ?? null;
  const argv = fields.argv ?? null;
  if (command !== null && argv !== null) return { ok: false, field: null, error: 'give either command or argv, not both' };
  if (fields.shell === true) {
    if (argv !== null) return { ok: false, field: 'argv', error: 'runs without a shell; with "shell": true give command instead' };
    if (command === null || command.trim() === '') return { ok: false, field: 'command', error: 'is required: the shell command to run' };
    const problem = unknownFilterError(command) ?? checkShellPlaceholders(command);
    return problem === null ? { ok: true, line: { shell: true, command } } : { ok: false, field: 'command', error: problem };
  }
  if (argv !== null) {
    if (argv.length === 0) return { ok: false, field: 'argv', error: 'is empty: give the program to run and its arguments' };
    if ((argv[0] as string).trim() === '') return { ok: false, field: 'argv', error: 'starts with an empty program name' };
    const problem = argv.map(unknownFilterError).find((error) => error !== null);
    return problem ? { ok: false, field: 'argv', error: problem } : { ok: true, line: { shell: false, argv } };
  }
  if (command === null) return { ok: false, field: 'command', error: 'is required: the command to run (or give argv, a list of arguments)' };
  const split = splitCommandWords(command);
  if (!split.ok) return { ok: false, field: 'command', error: split.error };
  const problem = unknownFilterError(command);
  return problem === null ? { ok: true, line: { shell: false, argv: split.words } } : { ok: false, field: 'command', error: problem };
}

/**
 * What a stored command target runs. One saved before commands ran without a shell has neither
 * `argv` nor `shell`: it is split now, as a new one would be, so it never reaches a shell.
 */
export function storedCommandLine(target: CommandFields): PreparedCommand {
  if (target.shell === true) return { ok: true, line: { shell: true, command: target.command ?? '' } };
  if (Array.isArray(target.argv)) return { ok: true, line: { shell: false, argv: target.argv } };
  const prepared = prepareCommand({ command: target.command ?? null });
  if (prepared.ok) return prepared;
  return { ...prepared, error: `the command cannot run without a shell: it ${prepared.error}; nothing was run. Edit the automation` };
}

/**
 * Renders a command line into the argv to execute. Each placeholder lands inside one argument
 * and is never split again (with a shell, it is single-quoted as one word). Fails, before
 * anything runs, on a value that would start an argument with "-" unless the placeholder is
 * marked `| option`, on a NUL (no argument can carry one) and on an argument over the kernel's
 * per-argument limit.
 */
export function renderCommand(line: CommandLine, context: TemplateContext): RenderedCommand {
  let problem: string | null = null;
  const check = (value: string, placeholder: Placeholder, startsArgument: boolean): void => {
    if (problem !== null) return;
    if (value.includes('\0')) problem = `the value of ${placeholderText(placeholder)} contains a NUL character, which no program argument can carry; nothing was run`;
    else if (startsArgument && value.startsWith('-') && !placeholder.filters.includes('option')) problem = optionRefusal(placeholder);
  };

  const warnings = new Set<string>();
  let argv: string[];
  let shown: { argv: string[] } | { command: string };
  if (line.shell) {
    // Every placeholder is a whole word (checked on save), so each one starts an argument.
    const rendered = renderTemplate(line.command, context, {
      transform: (value, placeholder) => {
        check(value, placeholder, true);
        return shellQuote(value);
      },
    });
    rendered.warnings.forEach((w) => warnings.add(w));
    argv = [SHELL, '-c', rendered.value];
    shown = { command: rendered.value };
  } else {
    argv = line.argv.map((word) => {
      const rendered = renderTemplate(word, context, {
        transform: (value, placeholder, before) => {
          check(value, placeholder, before === '');
          return value;
        },
      });
      rendered.warnings.forEach((w) => warnings.add(w));
      return rendered.value;
    });
    shown = { argv };
  }
  if (problem === null) problem = oversized(argv, line.shell);
  if (problem !== null) return { ok: false, error: problem, warnings: [...warnings] };
  return { ok: true, argv, shown, warnings: [...warnings] };
}

function optionRefusal(placeholder: Placeholder): string {
  const marked = placeholderText({ name: placeholder.name, filters: [...placeholder.filters, 'option'] });
  return `the value of ${placeholderText(placeholder)} starts with "-", so the program would read it as an option; nothing was run. Write ${marked} if an option is meant`;
}

function oversized(argv: string[], shell: boolean): string | null {
  const index = argv.findIndex((arg) => Buffer.byteLength(arg) > MAX_ARGUMENT_BYTES);
  if (index < 0) return null;
  const what = shell ? 'the rendered shell command' : `argument ${index + 1}`;
  return (
    `${what} is ${Buffer.byteLength(argv[index] as string)} bytes; a program argument can be at most ${MAX_ARGUMENT_BYTES} bytes. ` +
    'Read large values from the payload file ($WEBHOOK_PAYLOAD_PATH) instead; nothing was run'
  );
}
