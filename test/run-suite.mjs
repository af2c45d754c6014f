#!/usr/bin/env node
// The whole suite: unit and end-to-end tests on embedded PGlite, then the
// end-to-end tests again on PostgreSQL when TEST_DATABASE_URL is set.
// Ends with one line of totals: "tests: N passed, N failed".
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tmp = join(root, '.test-tmp');
rmSync(tmp, { recursive: true, force: true });
mkdirSync(tmp, { recursive: true });

// jest.config.js leaves test/postgres-only/ out of the PGlite run.
const runs = [{ name: 'PGlite', env: { HOOKLINE_TEST_DB: 'pglite' }, args: [] }];
if (process.env.TEST_DATABASE_URL) {
  runs.push({ name: 'PostgreSQL', env: { HOOKLINE_TEST_DB: 'postgres' }, args: ['--selectProjects', 'e2e'] });
} else {
  console.log('TEST_DATABASE_URL is not set: running on PGlite only.');
}

let passed = 0;
let failed = 0;
let broken = false;

// Lint and type-check count as one check each: the code must compile strictly and lint clean.
for (const [name, args] of [
  ['type-check', [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json', '--noEmit']],
  ['lint', [join(root, 'node_modules', 'eslint', 'bin', 'eslint.js'), '--max-warnings', '0', '.']],
]) {
  console.log(`\n=== ${name} ===`);
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (result.status === 0) {
    console.log(`${name}: clean`);
    passed++;
  } else {
    failed++;
  }
}
for (const run of runs) {
  const output = join(tmp, `results-${run.env.HOOKLINE_TEST_DB}.json`);
  console.log(`\n=== ${run.name} ===`);
  const result = spawnSync(
    process.execPath,
    [join(root, 'node_modules', 'jest', 'bin', 'jest.js'), '--maxWorkers=2', '--json', `--outputFile=${output}`, ...run.args, ...process.argv.slice(2)],
    { cwd: root, stdio: 'inherit', env: { ...process.env, ...run.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --no-node-snapshot`.trim() } },
  );
  try {
    const summary = JSON.parse(readFileSync(output, 'utf8'));
    passed += summary.numPassedTests;
    failed += summary.numFailedTests;
    // A suite that fails to load has no failed tests but is a failure all the same.
    if (summary.numRuntimeErrorTestSuites > 0 || (result.status !== 0 && summary.numFailedTests === 0)) broken = true;
  } catch {
    broken = true;
  }
  if (result.status !== 0) broken = true;
}
if (broken && failed === 0) failed = 1;
console.log(`\ntests: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
