import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';

/** One entity as the file writes it: its fields, with references to others by name. */
export type Entry = Record<string, unknown> & { name: string };

/**
 * A configuration file: every section is a list, applied in this order (each may refer to the
 * ones before it by name). A section the file leaves out is neither changed nor pruned.
 */
export interface ConfigDocument {
  version: 1;
  gitProviders?: Entry[];
  automations?: Entry[];
  /** In priority order: the first is tried first. */
  providers?: Entry[];
  functions?: Entry[];
  endpoints?: Entry[];
}

export const SECTIONS = ['gitProviders', 'automations', 'providers', 'functions', 'endpoints'] as const;
export type Section = (typeof SECTIONS)[number];

/** Script fields a file may keep in a `.js` file of its own: `matchScript: { file: scripts/x.js }`. */
const SCRIPT_FIELDS: Partial<Record<Section, string[]>> = { providers: ['matchScript'], functions: ['script', 'condition'] };

/** The name a directory export writes and a directory import reads. */
export const CONFIG_FILE_NAME = 'hookline.yaml';

/** A file that cannot be read or applied as it is; the message names the file and the place. */
export class ConfigFileError extends Error {}

const ENV_REFERENCE = /(\$?)\$\{env:([^}]*)\}/g;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Reads a configuration file, or `hookline.yaml` in a directory: scripts kept in files are read
 * (relative to the file), and every `${env:NAME}` is replaced by that variable's value. A
 * missing variable is an error naming it; `$${env:NAME}` stands for the text itself.
 */
export function loadConfigFile(path: string, env: NodeJS.ProcessEnv = process.env): ConfigDocument {
  const file = isDirectory(path) ? join(path, CONFIG_FILE_NAME) : path;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigFileError(`${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  try {
    return readConfigDocument(text, { baseDir: dirname(resolve(file)), env });
  } catch (error) {
    if (error instanceof ConfigFileError) throw new ConfigFileError(`${file}: ${error.message}`);
    throw error;
  }
}

/** `loadConfigFile` over text already read; `baseDir` resolves script files. */
export function readConfigDocument(text: string, options: { baseDir: string; env: NodeJS.ProcessEnv }): ConfigDocument {
  let raw: unknown;
  try {
    raw = parse(text, { prettyErrors: true });
  } catch (error) {
    throw new ConfigFileError(`is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigFileError('must be a YAML mapping with version: 1 and the sections ' + SECTIONS.join(', '));
  const record = raw as Record<string, unknown>;
  if (record.version !== 1) throw new ConfigFileError(`version: must be 1 (found ${JSON.stringify(record.version)})`);
  const unknown = Object.keys(record).filter((key) => key !== 'version' && !(SECTIONS as readonly string[]).includes(key));
  if (unknown.length > 0) throw new ConfigFileError(`${unknown[0]}: is not a section; the sections are ${SECTIONS.join(', ')}`);

  const missing = new Map<string, string>();
  const document: ConfigDocument = { version: 1 };
  for (const section of SECTIONS) {
    const list = record[section];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) throw new ConfigFileError(`${section}: must be a list`);
    document[section] = list.map((item, index) => {
      const at = `${section}[${index}]`;
      if (typeof item !== 'object' || item === null || Array.isArray(item)) throw new ConfigFileError(`${at}: must be a mapping with a name`);
      const entry = { ...(item as Record<string, unknown>) };
      if (typeof entry.name !== 'string' || entry.name.trim() === '') throw new ConfigFileError(`${at}.name: is required`);
      for (const field of SCRIPT_FIELDS[section] ?? []) if (field in entry) entry[field] = readScript(entry[field], `${at}.${field}`, options.baseDir);
      const scripts = new Set(SCRIPT_FIELDS[section] ?? []);
      for (const [key, value] of Object.entries(entry)) {
        if (!scripts.has(key)) entry[key] = substitute(value, `${at}.${key}`, options.env, missing);
      }
      return entry as Entry;
    });
  }
  if (missing.size > 0) {
    const list = [...missing].map(([name, at]) => `${name} (at ${at})`).join(', ');
    throw new ConfigFileError(`environment variable${missing.size > 1 ? 's' : ''} not set: ${list}; set ${missing.size > 1 ? 'them' : 'it'} before importing`);
  }
  checkNames(document);
  return document;
}

function readScript(value: unknown, at: string, baseDir: string): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const file = (value as Record<string, unknown>).file;
  if (typeof file !== 'string' || Object.keys(value).length !== 1) throw new ConfigFileError(`${at}: must be the script as text, or { file: path/to/script.js }`);
  try {
    return readFileSync(resolve(baseDir, file), 'utf8');
  } catch (error) {
    throw new ConfigFileError(`${at}: the script file ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

function substitute(value: unknown, at: string, env: NodeJS.ProcessEnv, missing: Map<string, string>): unknown {
  if (typeof value === 'string') {
    return value.replace(ENV_REFERENCE, (whole, escape: string, name: string) => {
      if (escape) return whole.slice(1);
      if (!ENV_NAME.test(name)) throw new ConfigFileError(`${at}: \${env:${name}} does not name an environment variable (letters, digits and _)`);
      const found = env[name];
      if (found === undefined) {
        if (!missing.has(name)) missing.set(name, at);
        return '';
      }
      return found;
    });
  }
  if (Array.isArray(value)) return value.map((item, index) => substitute(item, `${at}[${index}]`, env, missing));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substitute(item, `${at}.${key}`, env, missing)]));
  }
  return value;
}

/** Entities are matched by name (functions by provider and name), so a name may appear once. */
function checkNames(document: ConfigDocument): void {
  for (const section of SECTIONS) {
    const seen = new Set<string>();
    for (const [index, entry] of (document[section] ?? []).entries()) {
      if (section === 'functions' && (typeof entry.provider !== 'string' || entry.provider === '')) {
        throw new ConfigFileError(`functions[${index}].provider: is required: the name of the function's provider`);
      }
      const key = entryKey(section, entry);
      if (seen.has(key)) throw new ConfigFileError(`${section}[${index}]: a second entry named ${JSON.stringify(key)}; names must be unique${section === 'functions' ? ' per provider' : ''}`);
      seen.add(key);
    }
  }
}

/** How an entry is matched to a server's entity: by name, functions by provider name and name. */
export function entryKey(section: Section, entry: { name: string; provider?: unknown }): string {
  return section === 'functions' ? `${String(entry.provider)} / ${entry.name}` : entry.name;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
