import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError } from './cli-error';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Options every command that talks to a server takes. */
export const SERVER_OPTIONS = {
  url: { type: 'string' },
  json: { type: 'boolean' },
} as const satisfies Options;

/** `parseArgs`, strict, with its errors as one line naming the command's help. */
export function parseCommand<T extends Options>(command: string, argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (error) {
    const message = (error as Error).message.split('\n')[0].replace(/\. To specify a positional argument.*$/, '');
    throw new CliError(`${message}; see hookline help ${command}`);
  }
}

/** A whole, positive number option, or undefined. */
export function positiveInteger(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9][0-9]*$/.test(value)) throw new CliError(`--${name} must be a whole number of 1 or more, not "${value}"`);
  return Number(value);
}

/** `name=value` options (repeatable) as a record. */
export function keyValues(name: string, values: string[] | undefined, separator = '='): Record<string, string> {
  const record: Record<string, string> = {};
  for (const value of values ?? []) {
    const at = value.indexOf(separator);
    if (at <= 0) throw new CliError(`--${name} takes name${separator}value, not "${value}"`);
    record[value.slice(0, at).trim()] = value.slice(at + 1).trim();
  }
  return record;
}

/** A query string of the options that are set. */
export function query(values: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) if (value !== undefined && value !== '') params.set(name, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}
