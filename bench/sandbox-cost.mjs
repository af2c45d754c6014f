#!/usr/bin/env node
// The sandbox's cost per message: identify (the built-in providers' match scripts in priority
// order), one function condition and one function, run one message at a time through the real
// ScriptSandbox of a server build, with GitHub's sample push as the body. Run after a build:
//   node --no-node-snapshot bench/sandbox-cost.mjs [--messages 2000] [--rounds 5] [--build label=dir ...]
// Each --build names a built tree (default: this checkout's dist/). With two or more, their rounds
// interleave in one process, so every build meets the same machine state; medians are reported.
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { payloadBody } from './payload.mjs';

const require = createRequire(import.meta.url);
const REPO = resolve(import.meta.dirname, '..');

function parseArgs(argv) {
  const options = { messages: 2000, rounds: 5, warmup: 300, builds: [] };
  for (let i = 0; i < argv.length; i++) {
    const [name, value] = [argv[i], argv[i + 1]];
    if (name === '--messages' || name === '--rounds' || name === '--warmup') {
      const number = Number(value);
      if (!Number.isInteger(number) || number < 1) throw new Error(`${name} expects a positive whole number, got ${value}`);
      options[name.slice(2)] = number;
      i++;
    } else if (name === '--build') {
      const match = /^([^=]+)=(.+)$/.exec(value ?? '');
      if (!match) throw new Error(`--build expects label=dir (a tree holding dist/), got ${value}`);
      options.builds.push({ label: match[1], root: resolve(match[2]) });
      i++;
    } else throw new Error(`unknown option ${name}; options: --messages N --rounds N --warmup N --build label=dir`);
  }
  if (options.builds.length === 0) options.builds.push({ label: 'this build', root: REPO });
  return options;
}

const GITHUB_HEADERS = { 'content-type': 'application/json', 'user-agent': 'GitHub-Hookshot/bench', 'x-github-event': 'push', 'x-github-delivery': 'bench' };
const UNKNOWN_HEADERS = { 'content-type': 'application/json', 'user-agent': 'curl/8.0' };

// GitHub is the first built-in provider: one match script says yes. With no sender's headers every
// built-in says no until the catch-all Generic, ten scripts in all. "identify" is the match step
// alone (what an async 202 waits for); "+ condition + function" adds one of each (a sync 200).
const SCENARIOS = [
  { name: 'github push, identify', headers: GITHUB_HEADERS, isMatchOnly: true },
  { name: 'github push, + condition + function', headers: GITHUB_HEADERS, isMatchOnly: false },
  { name: 'unknown sender, identify', headers: UNKNOWN_HEADERS, isMatchOnly: true },
  { name: 'unknown sender, + condition + function', headers: UNKNOWN_HEADERS, isMatchOnly: false },
];

const CONDITION = 'payload.ref === "refs/heads/master" && eventType !== "ping"';
const FUNCTION = 'return { ref: request.json.ref, commits: request.json.commits.length };';

function load(build) {
  const dist = (path) => join(build.root, 'dist', path);
  const { ScriptSandbox } = require(dist('libs/engine/src/sandbox/script-sandbox.js'));
  const { matchProvider } = require(dist('libs/engine/src/match-providers.js'));
  const { BUILTIN_PROVIDERS, readBuiltinScript } = require(dist('libs/providers/src/builtin-providers.js'));
  const providers = BUILTIN_PROVIDERS.map((builtin) => ({
    id: builtin.key,
    name: builtin.name,
    priority: builtin.priority,
    matchScript: readBuiltinScript(builtin.key),
    properties: {},
    secrets: { secret: 'bench-secret' },
    verificationScheme: builtin.verificationScheme,
    eventFormat: builtin.eventFormat,
  }));
  const sandbox = new ScriptSandbox({ functionPoolSize: 1, matchPoolSize: 1, memoryLimitMb: 64 });
  return { ...build, sandbox, matchProvider, providers };
}

/** A message as identify hands it on: parsed on the host once, a fresh object per message. */
function requestFor(headers) {
  return { method: 'POST', uri: 'bench/async', path: '/webhooks/bench/async', headers, query: {}, body: payloadBody, json: JSON.parse(payloadBody), form: null };
}

async function runMessage(target, { headers, isMatchOnly }) {
  const request = requestFor(headers);
  const match = await target.matchProvider(target.sandbox, target.providers, request, 100);
  if (!match.provider) throw new Error(`${target.label}: no provider matched`);
  if (isMatchOnly) return match.evaluations.length;
  const provider = { name: match.provider.name, properties: match.provider.properties, secrets: match.provider.secrets };
  const scope = { provider, eventType: 'push', event: null, method: request.method, headers: request.headers, query: request.query, body: request.body, payload: request.json };
  // The server's limit for conditions: HOOKLINE_MATCH_TIMEOUT, 100 ms by default.
  const condition = await target.sandbox.evaluateCondition({ expression: CONDITION, scope, timeoutMs: 100 });
  if (!condition.ok || !condition.value) throw new Error(`${target.label}: the condition did not hold: ${JSON.stringify(condition)}`);
  const run = await target.sandbox.runFunction({
    script: FUNCTION,
    request,
    message: { id: 'bench', receivedAt: new Date().toISOString(), triggeredBy: 'webhook' },
    provider,
    eventType: 'push',
    event: null,
    timeoutMs: 1000,
    onRespond: () => {},
  });
  if (run.status !== 'succeeded') throw new Error(`${target.label}: the function failed: ${JSON.stringify(run.error)}`);
  return match.evaluations.length;
}

/** Wall and CPU (all of this process's threads, the isolates' included) per message, in µs. */
async function measure(target, scenario, messages) {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  let evaluated = 0;
  for (let i = 0; i < messages; i++) evaluated = await runMessage(target, scenario);
  const wallUs = ((performance.now() - started) * 1000) / messages;
  const cpu = process.cpuUsage(cpuBefore);
  return { wallUs, cpuUs: (cpu.user + cpu.system) / messages, evaluated };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const targets = options.builds.map(load);
  const results = new Map();
  for (const scenario of SCENARIOS) {
    for (const target of targets) await measure(target, scenario, options.warmup);
    for (let round = 0; round < options.rounds; round++) {
      // Alternate which build goes first, so neither always follows the other.
      const order = round % 2 === 0 ? targets : [...targets].reverse();
      for (const target of order) {
        const key = `${scenario.name}\u0000${target.label}`;
        const result = await measure(target, scenario, options.messages);
        const entry = results.get(key) ?? { scenario: scenario.name, label: target.label, wall: [], cpu: [], evaluated: result.evaluated };
        entry.wall.push(result.wallUs);
        entry.cpu.push(result.cpuUs);
        results.set(key, entry);
        console.error(`[sandbox-cost] ${scenario.name}, ${target.label}, round ${round + 1}: ${result.wallUs.toFixed(0)} µs wall, ${result.cpuUs.toFixed(0)} µs CPU per message`);
      }
    }
  }
  for (const target of targets) await target.sandbox.dispose();

  const lines = [
    `${options.rounds} interleaved rounds of ${options.messages} messages per build and scenario (after ${options.warmup} to warm up), one message at a time; medians. Node ${process.version}.`,
    '',
    '| scenario | match scripts run | build | wall µs per message | CPU µs per message |',
    '|---|---:|---|---:|---:|',
  ];
  for (const entry of results.values()) {
    lines.push(`| ${entry.scenario} | ${entry.evaluated} | ${entry.label} | ${median(entry.wall).toFixed(0)} | ${median(entry.cpu).toFixed(0)} |`);
  }
  console.log(lines.join('\n'));
}

main().catch((error) => {
  console.error(`[sandbox-cost] ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
