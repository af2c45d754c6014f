#!/usr/bin/env node
// Writes .br and .gz copies beside every text asset of the built console, so the server sends
// them precompressed (@fastify/static `preCompressed`) instead of compressing on each request.
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|txt|ttf|map|wasm)$/;
const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

const dir = process.argv[2] ?? fileURLToPath(new URL('../../dist/console/browser', import.meta.url));

async function* files(root) {
  for (const entry of await readdir(root, { withFileTypes: true })) {
    const path = join(root, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (COMPRESSIBLE.test(entry.name)) yield path;
  }
}

async function compress(path) {
  const raw = await readFile(path);
  const size = (await stat(path)).size;
  // Best brotli is slow on megabytes (Monaco's workers); a notch lower costs little in size.
  const quality = size > 1_000_000 ? 9 : constants.BROTLI_MAX_QUALITY;
  const [br, gzipped] = await Promise.all([
    brotli(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: quality, [constants.BROTLI_PARAM_SIZE_HINT]: size } }),
    gz(raw, { level: 9 }),
  ]);
  // A copy no smaller than the file is useless: the server then sends the file itself.
  if (br.length < size) await writeFile(`${path}.br`, br);
  if (gzipped.length < size) await writeFile(`${path}.gz`, gzipped);
  return { size, br: br.length };
}

const pending = [];
for await (const path of files(dir)) pending.push(compress(path));
const results = await Promise.all(pending);
const total = results.reduce((sum, r) => sum + r.size, 0);
const compressed = results.reduce((sum, r) => sum + Math.min(r.size, r.br), 0);
console.log(`Precompressed ${results.length} console files: ${(total / 1024).toFixed(0)} kB, ${(compressed / 1024).toFixed(0)} kB with brotli`);
