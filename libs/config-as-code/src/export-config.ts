import { type ConfigDocument, type Entry, SECTIONS } from './config-document';
import { secretSlots, toEntry } from './entries';
import type { ServerState } from './server-state';

export interface ExportedConfig {
  document: ConfigDocument;
  /** The environment variables the document's secret references name, in order. */
  envNames: string[];
}

/**
 * The server's configuration as a file: every section (providers in priority order), and every
 * secret the server holds written as a reference, `${env:GITHUB_SECRET}`, never as its value
 * (the API never returns one).
 */
export function exportConfig(state: ServerState): ExportedConfig {
  const document: ConfigDocument = { version: 1 };
  const used = new Set<string>();
  const envNames: string[] = [];
  for (const section of SECTIONS) {
    document[section] = state[section].map((view) => {
      const entry = toEntry(section, view, state);
      for (const slot of secretSlots(section, view)) {
        if (!slot.configured) continue;
        let name = slot.envName;
        for (let n = 2; used.has(name); n++) name = `${slot.envName}_${n}`;
        used.add(name);
        envNames.push(name);
        setPath(entry, slot.field, `\${env:${name}}`);
      }
      return entry;
    });
  }
  return { document, envNames };
}

function setPath(entry: Entry, field: string, value: string): void {
  const [head, ...rest] = field.split('.');
  if (rest.length === 0) {
    entry[head] = value;
    return;
  }
  const inner = typeof entry[head] === 'object' && entry[head] !== null ? { ...(entry[head] as Record<string, unknown>) } : {};
  inner[rest.join('.')] = value;
  entry[head] = inner;
}
