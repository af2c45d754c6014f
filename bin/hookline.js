#!/usr/bin/env node
// The `hookline` command (package.json "bin"). It runs the compiled CLI from dist/ when that is
// built and no newer than its sources; otherwise it compiles the TypeScript sources in memory with
// the repository's own TypeScript, so that `npx hookline` works in a clone right after npm install.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const compiled = path.join(root, 'dist', 'apps', 'cli', 'src', 'main.js');
const sourceDirs = ['apps/cli/src', 'libs/config-as-code/src', 'libs/providers/src'].map((dir) => path.join(root, dir));

function newestSource(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(file));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(file).mtimeMs);
  }
  return newest;
}

function isBuiltAndCurrent() {
  if (!fs.existsSync(compiled)) return false;
  const present = sourceDirs.filter((dir) => fs.existsSync(dir));
  // An installed package ships dist/ without sources: dist is all there is.
  if (present.length === 0) return true;
  const built = fs.statSync(compiled).mtimeMs;
  return present.every((dir) => newestSource(dir) <= built);
}

function compileSourcesOnLoad() {
  let ts;
  try {
    ts = require('typescript');
  } catch {
    process.stderr.write('hookline: dist/ is not built and TypeScript is not installed; run npm install, or npm run build:server\n');
    process.exit(1);
  }
  const options = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, experimentalDecorators: true, sourceMap: false };
  require.extensions['.ts'] = (module, filename) => {
    const output = ts.transpileModule(fs.readFileSync(filename, 'utf8'), { compilerOptions: options, fileName: filename });
    module._compile(output.outputText, filename);
  };
  return path.join(root, 'apps', 'cli', 'src', 'main.ts');
}

const entry = isBuiltAndCurrent() ? compiled : compileSourcesOnLoad();
require(entry).runFromCommandLine();
