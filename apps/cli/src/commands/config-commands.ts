import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import {
  CONFIG_FILE_NAME,
  type ConfigDocument,
  type Entry,
  exportConfig,
  formatPlan,
  importConfig,
  loadConfigFile,
  readServerState,
  summarisePlan,
} from '../../../../libs/config-as-code/src';
import { parseCommand, SERVER_OPTIONS } from '../args';
import { CliError } from '../cli-error';
import { createOutput } from '../output';
import { connect } from '../server-client';

/** `hookline export [--out file | --dir dir]`: the server's configuration as YAML. */
export async function exportCommand(argv: string[]): Promise<void> {
  const { values } = parseCommand('export', argv, { ...SERVER_OPTIONS, out: { type: 'string', short: 'o' }, dir: { type: 'string' } });
  if (values.out && values.dir) throw new CliError('give --out for one file or --dir for a directory, not both');
  const client = connect(values.url);
  const { document, envNames } = exportConfig(await readServerState(client));
  if (values.dir) {
    const file = writeDirectory(values.dir, document);
    process.stderr.write(`Wrote ${file} and its scripts\n`);
  } else if (values.out) {
    writeFileSync(values.out, toYaml(document));
    process.stderr.write(`Wrote ${values.out}\n`);
  } else {
    process.stdout.write(toYaml(document));
  }
  if (envNames.length > 0) process.stderr.write(`Secrets are references: set ${envNames.join(', ')} before importing this file\n`);
}

/** `hookline import <file|dir> [--dry-run] [--prune] [--update-secrets]`. */
export async function importCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseCommand('import', argv, {
    ...SERVER_OPTIONS,
    'dry-run': { type: 'boolean' },
    prune: { type: 'boolean' },
    'update-secrets': { type: 'boolean' },
  });
  if (positionals.length !== 1) throw new CliError('name one file or directory to import: hookline import hookline.yaml');
  const out = createOutput(values.json === true);
  const document = loadConfigFile(positionals[0]);
  const client = connect(values.url);
  const dryRun = values['dry-run'] === true;
  const urls: Array<{ endpoint: string; url: string }> = [];
  const plan = await importConfig(client, document, {
    dryRun,
    prune: values.prune === true,
    updateSecrets: values['update-secrets'] === true,
    onApplied: ({ change, url }) => {
      if (url) urls.push({ endpoint: change.key, url });
    },
  });
  out.write({ dryRun, ...plan, ...(urls.length > 0 ? { endpointUrls: urls } : {}) }, () => [
    ...formatPlan(plan),
    ...(plan.changes.length > 0 || plan.order ? [`${dryRun ? 'Would apply' : 'Applied'}: ${summarisePlan(plan)}`] : []),
    // Shown once by the server, like the console does: the token in it is the endpoint's credential.
    ...urls.map(({ endpoint, url }) => `Endpoint ${JSON.stringify(endpoint)} receives at ${url} (shown this once)`),
  ]);
}

function toYaml(document: ConfigDocument): string {
  return stringify(document, { lineWidth: 0, blockQuote: 'literal' });
}

/** `hookline.yaml` with each script in a `.js` file beside it, under scripts/. */
function writeDirectory(dir: string, document: ConfigDocument): string {
  mkdirSync(join(dir, 'scripts'), { recursive: true });
  const used = new Set<string>();
  const place = (stem: string, field: string, entry: Entry) => {
    const script = entry[field];
    if (typeof script !== 'string' || script === '') return;
    const base = stem.toLowerCase().replace(/[^a-z0-9.]+/g, '-').replace(/^-+|-+$/g, '') || 'script';
    let name = base;
    for (let n = 2; used.has(name); n++) name = `${base}-${n}`;
    used.add(name);
    const file = `scripts/${name}.js`;
    // Byte for byte: a newline added here would read back as a changed script.
    writeFileSync(join(dir, file), script);
    entry[field] = { file };
  };
  for (const provider of document.providers ?? []) place(`${provider.name}.match`, 'matchScript', provider);
  for (const fn of document.functions ?? []) place(`${String(fn.provider)}.${fn.name}`, 'script', fn);
  const file = join(dir, CONFIG_FILE_NAME);
  writeFileSync(file, toYaml(document));
  return file;
}
