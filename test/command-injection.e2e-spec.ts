import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { queryStoppedDatabase } from './support/test-database';
import { TestServer } from './support/test-server';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const digest = (text: string) => ({ bytes: Buffer.byteLength(text), sha256: sha256(text) });

describe('command automations started by a hostile payload', () => {
  let server: TestServer;
  let dir: string;
  let marker: string;
  let argvScript: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hookline-injection-'));
    marker = join(dir, 'pwned');
    argvScript = join(dir, 'argv.js');
    // Prints what it received, argument by argument, so the test can compare bytes.
    writeFileSync(
      argvScript,
      `const { createHash } = require('node:crypto');
process.stdout.write(JSON.stringify(process.argv.slice(2).map((a) => ({ bytes: Buffer.byteLength(a), sha256: createHash('sha256').update(a, 'utf8').digest('hex') }))));`,
    );
    server = await TestServer.start();
  });

  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function automation(target: Record<string, unknown>) {
    const result = await server.post('/api/automations', { name: `cmd-${Math.random().toString(36).slice(2, 8)}`, target: { kind: 'command', ...target } });
    if (result.status !== 201) throw new Error(`automation: ${result.status} ${result.text}`);
    return result.body as { id: string; target: Record<string, unknown> };
  }

  /** Delivers `payload` to a new secret-token endpoint (no login) linked to the automations, and waits for every run. */
  async function deliver(automationIds: string[], payload: unknown): Promise<any[]> {
    const endpoint = await server.post('/api/webhooks', { name: `ep-${Math.random().toString(36).slice(2, 8)}`, automationIds });
    if (endpoint.status !== 201) throw new Error(`endpoint: ${endpoint.status} ${endpoint.text}`);
    const delivered = await server.request('POST', new URL(endpoint.body.url).pathname, undefined, {
      auth: false,
      raw: JSON.stringify(payload),
      headers: { 'content-type': 'application/json' },
    });
    expect(delivered.status).toBe(200);
    const runs = [];
    for (const started of delivered.body.automations) runs.push(await waitForRun(started.runId));
    return runs;
  }

  async function waitForRun(id: string): Promise<any> {
    for (let i = 0; i < 600; i++) {
      const run = (await server.get(`/api/runs/${id}`)).body;
      if (['succeeded', 'failed', 'skipped'].includes(run.status)) return run;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`run ${id} did not finish`);
  }

  const touch = () => `touch ${marker}`;
  const corpus: Array<[string, () => string]> = [
    ['command substitution', () => `$(${touch()})`],
    ['backticks', () => `\`${touch()}\``],
    ['a semicolon', () => `x; ${touch()}`],
    ['a pipe', () => `x | ${touch()}`],
    ['&& and ||', () => `x && ${touch()} || ${touch()} &`],
    ['newlines', () => `line one\n${touch()}\nline three`],
    ['single quotes', () => `'; ${touch()}; '`],
    ['double quotes', () => `"; ${touch()}; "`],
    ['both quotes and a backslash', () => `it's "$(${touch()})" \\' \\`],
    ['variables and globs', () => `$HOME \${PATH} $((1+1)) * ? [a-z] ~`],
    ['a 100 KB value', () => `${'x'.repeat(100 * 1024)} '$(${touch()})' "\`${touch()}\`"`],
  ];

  it.each(corpus)('passes a value with %s as one argument, byte for byte, and runs nothing', async (_label, make) => {
    const value = make();
    const plain = await automation({ command: `node ${argvScript} {{webhook.v}}` });
    const quoted = await automation({ command: `node ${argvScript} '{{webhook.v}}' "{{webhook.v}}" --ref={{webhook.v}} pre{{ webhook.v }}post` });
    const listed = await automation({ argv: ['node', argvScript, '{{webhook.v}}', 'two words'] });
    const shell = await automation({ shell: true, command: `node ${argvScript} {{webhook.v}} | cat` });

    const runs = await deliver([plain.id, quoted.id, listed.id, shell.id], { v: value });

    expect(runs.map((run) => [run.status, run.statusReason ?? null])).toEqual([
      ['succeeded', null],
      ['succeeded', null],
      ['succeeded', null],
      ['succeeded', null],
    ]);
    expect(runs.map((run) => JSON.parse(run.output.stdout))).toEqual([
      [digest(value)],
      [digest(value), digest(value), digest(`--ref=${value}`), digest(`pre${value}post`)],
      [digest(value), digest('two words')],
      [digest(value)],
    ]);
    expect(readdirSync(dir)).toEqual(['argv.js']);
  });

  it('runs nothing from the two reported attacks: a leading "--upload-pack=" and a placeholder inside quotes', async () => {
    const gitRemote = await automation({ command: 'git ls-remote {{webhook.repo}} HEAD' });
    const doubleQuoted = await automation({ command: `node ${argvScript} "{{webhook.a}}"` });
    const singleQuoted = await automation({ command: `node ${argvScript} '{{webhook.a}}'` });
    const a = `$(${touch()}) \`${touch()}\` ; ${touch()}`;

    const runs = await deliver([gitRemote.id, doubleQuoted.id, singleQuoted.id], { repo: `--upload-pack=${touch()}; false`, a });

    expect(readdirSync(dir)).toEqual(['argv.js']);
    expect(runs.map((run) => run.status)).toEqual(['failed', 'succeeded', 'succeeded']);
    expect(JSON.parse(runs[1].output.stdout)).toEqual([digest(a)]);
    expect(JSON.parse(runs[2].output.stdout)).toEqual([digest(a)]);
  });

  it('refuses a value that would start an argument with "-" before anything runs, unless the placeholder is marked an option', async () => {
    const gitRemote = await automation({ command: 'git ls-remote {{webhook.repo}} HEAD' });
    const shell = await automation({ shell: true, command: 'git ls-remote {{webhook.repo}} HEAD' });
    const marked = await automation({ argv: ['node', argvScript, '{{webhook.repo | option}}'] });
    const fixed = await automation({ command: `node ${argvScript} --upload={{webhook.repo}}` });
    const repo = `--upload-pack=${touch()}; false`;

    const runs = await deliver([gitRemote.id, shell.id, marked.id, fixed.id], { repo });

    const refusal = 'the value of {{webhook.repo}} starts with "-", so the program would read it as an option; nothing was run. Write {{webhook.repo | option}} if an option is meant';
    expect(runs.map((run) => [run.status, run.statusReason ?? null])).toEqual([
      ['failed', refusal],
      ['failed', refusal],
      ['succeeded', null],
      ['succeeded', null],
    ]);
    expect(runs[0].output).toEqual({ error: refusal });
    expect(JSON.parse(runs[2].output.stdout)).toEqual([digest(repo)]);
    expect(JSON.parse(runs[3].output.stdout)).toEqual([digest(`--upload=${repo}`)]);
    expect(readdirSync(dir)).toEqual(['argv.js']);
  });

  it('fails a run whose value holds NUL, or is longer than one program argument can be, before anything runs', async () => {
    const plain = await automation({ command: `node ${argvScript} {{webhook.v}}` });
    const [nul] = await deliver([plain.id], { v: `a\u0000${touch()}` });
    expect(nul.status).toBe('failed');
    expect(nul.statusReason).toBe('the value of {{webhook.v}} contains a NUL character, which no program argument can carry; nothing was run');

    const [huge] = await deliver([plain.id], { v: 'y'.repeat(200 * 1024) });
    expect(huge.status).toBe('failed');
    expect(huge.statusReason).toBe(
      'argument 3 is 204800 bytes; a program argument can be at most 131071 bytes. Read large values from the payload file ($WEBHOOK_PAYLOAD_PATH) instead; nothing was run',
    );
    expect(readdirSync(dir)).toEqual(['argv.js']);
  });

  it('refuses, with 400 and the reason, shell syntax in a command that runs without a shell', async () => {
    for (const command of ['echo a | tee out', 'echo a; rm -rf x', 'make && deploy', 'echo hi > out.txt', 'echo $(id)', 'echo `id`', 'echo "$HOME"']) {
      const result = await server.post('/api/automations', { name: 'x', target: { kind: 'command', command } });
      expect([command, result.status]).toEqual([command, 400]);
      expect(result.body.fields['target.command']).toMatch(/runs without a shell.*quote it.*"shell": true/s);
    }
    const unclosed = await server.post('/api/automations', { name: 'x', target: { kind: 'command', command: "echo 'open" } });
    expect(unclosed.body.fields['target.command']).toBe('has a single quote that is never closed');
    const both = await server.post('/api/automations', { name: 'x', target: { kind: 'command', command: 'true', argv: ['true'] } });
    expect(both.body.fields['target']).toBe('give either command or argv, not both');
    const argvWithShell = await server.post('/api/automations', { name: 'x', target: { kind: 'command', shell: true, argv: ['true'] } });
    expect(argvWithShell.body.fields['target.argv']).toBe('runs without a shell; with "shell": true give command instead');
    const filter = await server.post('/api/automations', { name: 'x', target: { kind: 'command', command: 'echo {{webhook.a | upper}}' } });
    expect(filter.body.fields['target.command']).toBe('{{webhook.a | upper}} uses an unknown filter "upper"; the only filter is "option"');
  });

  it('stores a command split into its arguments, as the run will see them', async () => {
    const auto = await automation({ command: `deploy.sh 'two words' "say \\"hi\\"" it\\'s {{webhook.ref}} ''` });
    expect(auto.target).toEqual({
      kind: 'command',
      command: `deploy.sh 'two words' "say \\"hi\\"" it\\'s {{webhook.ref}} ''`,
      argv: ['deploy.sh', 'two words', 'say "hi"', "it's", '{{webhook.ref}}', ''],
      shell: false,
      timeoutMs: 60000,
    });
  });

  it('refuses, with 400 and the reason, a shell command whose placeholder is quoted or glued to other text', async () => {
    const cases: Array<[string, RegExp]> = [
      ['echo "{{webhook.a}}"', /\{\{webhook\.a\}\} is inside double quotes/],
      ["echo '{{webhook.a}}'", /\{\{webhook\.a\}\} is inside single quotes/],
      ['echo --ref={{webhook.a}}', /\{\{webhook\.a\}\} is joined to other text/],
      ['echo {{webhook.a}}.txt', /\{\{webhook\.a\}\} is joined to other text/],
      ['echo `echo {{webhook.a}}`', /\{\{webhook\.a\}\} is inside backticks/],
      ['echo ${X:-{{webhook.a}}}', /\{\{webhook\.a\}\} is inside \$\{…\}/],
      ['echo hi # {{webhook.a}}', /\{\{webhook\.a\}\} is inside a comment/],
      ['cat <<EOF\n{{webhook.a}}\nEOF', /here-document/],
    ];
    for (const [command, reason] of cases) {
      const result = await server.post('/api/automations', { name: 'x', target: { kind: 'command', shell: true, command } });
      expect([command, result.status]).toEqual([command, 400]);
      expect(result.body.fields['target.command']).toMatch(reason);
      expect(result.body.fields['target.command']).toMatch(/whole word/);
    }
    const fine = await server.post('/api/automations', { name: 'ok', target: { kind: 'command', shell: true, command: 'echo {{webhook.a}} | tee out; test -n "$(echo {{webhook.b}})"' } });
    expect(fine.status).toBe(201);
  });

  it('runs a command saved before commands ran without a shell without one, and fails one that needs a shell with the reason', async () => {
    const quoted = await automation({ command: 'true' });
    const chained = await automation({ command: 'true' });
    await server.stop();
    const legacy = (command: string) => JSON.stringify({ kind: 'command', command, timeoutMs: 60000 }).replace(/'/g, "''");
    await queryStoppedDatabase(server.database, `UPDATE automations SET target = '${legacy(`node ${argvScript} "{{vars.a}}"`)}'::jsonb WHERE id = '${quoted.id}'`);
    await queryStoppedDatabase(server.database, `UPDATE automations SET target = '${legacy(`echo {{vars.a}}; ${touch()}`)}'::jsonb WHERE id = '${chained.id}'`);
    await server.launch();
    await server.login();

    expect((await server.get(`/api/automations/${quoted.id}`)).body.target).toMatchObject({ shell: false });
    const a = `$(${touch()}) \`${touch()}\``;
    const first = await waitForRun((await server.post(`/api/automations/${quoted.id}/run`, { vars: { a } })).body.id);
    expect(first.status).toBe('succeeded');
    expect(JSON.parse(first.output.stdout)).toEqual([digest(a)]);
    const second = await waitForRun((await server.post(`/api/automations/${chained.id}/run`, { vars: { a } })).body.id);
    expect(second.status).toBe('failed');
    expect(second.statusReason).toMatch(/^the command cannot run without a shell: it has shell syntax ";" at character 16, .*set "shell": true.*nothing was run\. Edit the automation$/);
    expect(readdirSync(dir)).toEqual(['argv.js']);
  });
});
