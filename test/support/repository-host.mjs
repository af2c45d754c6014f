// Runs Hookline's compiled repositories in a process of their own, over one migrated database, for
// specs that call repositories directly: PGlite is an ES module that Jest here cannot load, and two
// of these processes on one PostgreSQL database are two servers. Tests call it through
// repository-process.ts.
//
//   env:    HOOKLINE_TEST_DB_CONFIG  {"kind": "pglite", "dataDir"} or {"kind": "postgres", "url"}
//   stdin:  one call per line, {"id", "repo", "method", "args"}
//   stdout: {"ready": true} once open, then one answer per line, {"id", "result"} or {"id", "error"}
//
// Dates travel as {"$date": "<ISO time>"} both ways. Calls run concurrently, as a server's would.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
require('reflect-metadata');
const server = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'apps', 'server', 'src');
const load = (file, name) => require(join(server, file))[name];

const { openDatabase } = require(join(server, 'database', 'open-database.js'));
const AutomationsRepository = load('automations/automations.repository.js', 'AutomationsRepository');
const ScmPollStateRepository = load('scm-polling/scm-poll-state.repository.js', 'ScmPollStateRepository');
const ShaClaimsRepository = load('scm-polling/sha-claims.repository.js', 'ShaClaimsRepository');
const ScmPollSetting = load('scm-polling/scm-poll-setting.js', 'ScmPollSetting');
const GitProvidersRepository = load('git-providers/git-providers.repository.js', 'GitProvidersRepository');

const revive = (_key, value) => (value && typeof value === 'object' && typeof value.$date === 'string' ? new Date(value.$date) : value);
function replace(key, value) {
  const original = this[key];
  return original instanceof Date ? { $date: original.toISOString() } : value;
}
const answer = (message) => process.stdout.write(`${JSON.stringify(message, replace)}\n`);

const db = await openDatabase(JSON.parse(process.env.HOOKLINE_TEST_DB_CONFIG), { migrate: false });
const state = new ScmPollStateRepository(db.dataSource);
const repositories = {
  automations: new AutomationsRepository(db.dataSource),
  pollState: state,
  claims: new ShaClaimsRepository(db.dataSource),
  scmPollSetting: new ScmPollSetting(state, { scmPolling: true }, new GitProvidersRepository(db.dataSource)),
};

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const { id, repo, method, args } = JSON.parse(line, revive);
  Promise.resolve()
    .then(() => repositories[repo][method](...args))
    .then(
      (result) => answer({ id, result: result ?? null }),
      (error) => answer({ id, error: error instanceof Error ? error.message : String(error) }),
    );
});
lines.on('close', () => {
  db.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
answer({ ready: true });
