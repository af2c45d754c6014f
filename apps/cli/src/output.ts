/** Where a command writes: a table for a person at a terminal, JSON for a program. */
export interface Output {
  json: boolean;
  /** One value as JSON, or the given lines. */
  write(value: unknown, lines?: () => string[]): void;
  /** Rows as a table, or the rows as JSON (one array; with `stream`, one JSON object per line). */
  table(rows: Array<Record<string, unknown>>, columns: string[], options?: { stream?: boolean; header?: boolean }): void;
  /** A note for the person (progress, hints): on stderr, so that stdout stays data. */
  note(text: string): void;
}

export function createOutput(jsonFlag: boolean, stdout: NodeJS.WriteStream = process.stdout, stderr: NodeJS.WriteStream = process.stderr): Output {
  const json = jsonFlag || !stdout.isTTY;
  return {
    json,
    write(value, lines) {
      if (json || !lines) stdout.write(`${JSON.stringify(value, null, json ? 2 : undefined)}\n`);
      else for (const line of lines()) stdout.write(`${line}\n`);
    },
    table(rows, columns, options = {}) {
      if (json) {
        if (options.stream) for (const row of rows) stdout.write(`${JSON.stringify(row)}\n`);
        else stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      for (const line of formatTable(rows, columns, options.header ?? true)) stdout.write(`${line}\n`);
    },
    note(text) {
      stderr.write(`${text}\n`);
    },
  };
}

/** Columns padded to their widest cell; a cell is cut at 60 characters. */
export function formatTable(rows: Array<Record<string, unknown>>, columns: string[], header = true): string[] {
  const cells = rows.map((row) => columns.map((column) => cell(row[column])));
  const all = header ? [columns.map((column) => column.toUpperCase()), ...cells] : cells;
  const widths = columns.map((_, index) => Math.max(...all.map((line) => line[index].length)));
  return all.map((line) => line.map((text, index) => (index === line.length - 1 ? text : text.padEnd(widths[index]))).join('  ').trimEnd());
}

function cell(value: unknown): string {
  const text = value === null || value === undefined ? '-' : typeof value === 'string' ? value : JSON.stringify(value);
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 60 ? `${flat.slice(0, 59)}…` : flat;
}

/** One page of a paged list: its rows, and the option that fetches the next page. */
export function writePage(out: Output, page: { items: Array<Record<string, unknown>>; nextCursor: string | null }, columns: string[]): void {
  if (out.json) {
    out.write(page);
    return;
  }
  out.table(page.items, columns);
  if (page.nextCursor) out.note(`More: --cursor ${page.nextCursor}`);
}
