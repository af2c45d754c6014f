import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_ARGUMENT_BYTES, prepareCommand, renderCommand, storedCommandLine, type CommandLine } from './render-command';
import { runCommand } from './run-command';
import type { TemplateContext } from './templates';

const context = (vars: Record<string, unknown>): TemplateContext => ({ webhook: { payload: { ref: 'main' }, payloadPath: '/p' }, event: null, message: { id: 'm1' }, vars });

function lineOf(fields: Parameters<typeof prepareCommand>[0]): CommandLine {
  const prepared = prepareCommand(fields);
  if (!prepared.ok) throw new Error(prepared.error);
  return prepared.line;
}

describe('prepareCommand', () => {
  it('splits a command string into argument templates once, on save', () => {
    expect(prepareCommand({ command: `git ls-remote '{{webhook.repo}}' HEAD` })).toEqual({ ok: true, line: { shell: false, argv: ['git', 'ls-remote', '{{webhook.repo}}', 'HEAD'] } });
    expect(prepareCommand({ argv: ['node', 'x.js', '{{vars.a}}'] })).toEqual({ ok: true, line: { shell: false, argv: ['node', 'x.js', '{{vars.a}}'] } });
    expect(prepareCommand({ command: 'echo {{vars.a}} | cat', shell: true })).toEqual({ ok: true, line: { shell: true, command: 'echo {{vars.a}} | cat' } });
  });

  it('names the field and the reason for what cannot run', () => {
    expect(prepareCommand({ command: 'a', argv: ['a'] })).toEqual({ ok: false, field: null, error: 'give either command or argv, not both' });
    expect(prepareCommand({ argv: [] })).toMatchObject({ ok: false, field: 'argv' });
    expect(prepareCommand({ argv: ['', 'x'] })).toEqual({ ok: false, field: 'argv', error: 'starts with an empty program name' });
    expect(prepareCommand({})).toMatchObject({ ok: false, field: 'command' });
    expect(prepareCommand({ command: 'a | b' })).toMatchObject({ ok: false, field: 'command', error: expect.stringContaining('"shell": true') });
    expect(prepareCommand({ command: 'echo "{{vars.a}}"', shell: true })).toMatchObject({ ok: false, field: 'command', error: expect.stringContaining('inside double quotes') });
    expect(prepareCommand({ argv: ['echo', '{{vars.a | trim}}'] })).toEqual({ ok: false, field: 'argv', error: '{{vars.a | trim}} uses an unknown filter "trim"; the only filter is "option"' });
  });
});

describe('storedCommandLine', () => {
  it('runs a command saved before commands ran without a shell as split words, never with a shell', () => {
    expect(storedCommandLine({ command: `git ls-remote "{{webhook.repo}}" HEAD` })).toEqual({ ok: true, line: { shell: false, argv: ['git', 'ls-remote', '{{webhook.repo}}', 'HEAD'] } });
    expect(storedCommandLine({ command: 'echo {{webhook.a}}; touch x' })).toEqual({
      ok: false,
      field: 'command',
      error:
        `the command cannot run without a shell: it has shell syntax ";" at character 19, but the command runs without a shell, which would pass it as text: ` +
        `quote it (';') if it is text, or set "shell": true to run the command with /bin/sh; nothing was run. Edit the automation`,
    });
  });

  it('runs what was stored for a new one', () => {
    expect(storedCommandLine({ command: 'a b', argv: ['a', 'b'], shell: false })).toEqual({ ok: true, line: { shell: false, argv: ['a', 'b'] } });
    expect(storedCommandLine({ command: 'a | b', argv: null, shell: true })).toEqual({ ok: true, line: { shell: true, command: 'a | b' } });
  });
});

describe('renderCommand', () => {
  let dir: string;
  let marker: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hookline-render-command-'));
    marker = join(dir, 'pwned');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const corpus = (touch: string): string[] => [
    `$(${touch})`,
    `\`${touch}\``,
    `x; ${touch}`,
    `x | ${touch}`,
    `x && ${touch} || ${touch} &`,
    `a\n${touch}\nb`,
    `'; ${touch}; '`,
    `"; ${touch}; "`,
    `it's "$(${touch})" \\' \\`,
    '$HOME ${PATH} $((1+1)) * ? [a-z] ~',
    `${'x'.repeat(100 * 1024)}'$(${touch})'`,
    '',
  ];

  const lines = (): Array<[string, CommandLine]> => [
    ['a command string', lineOf({ command: `printf '<%s>' {{vars.v}} "{{vars.v}}" '{{vars.v}}' --ref={{vars.v}}` })],
    ['an argv list', lineOf({ argv: ['printf', '<%s>', '{{vars.v}}', '{{vars.v}}', '{{vars.v}}', '--ref={{vars.v}}'] })],
    ['a shell command', lineOf({ shell: true, command: `printf '<%s>' {{vars.v}} | cat` })],
  ];

  it.each(lines())('passes every corpus value through %s byte for byte, running nothing', async (_label, line) => {
    for (const value of corpus(`touch ${marker}`)) {
      const rendered = renderCommand(line, context({ v: value }));
      if (!rendered.ok) throw new Error(rendered.error);
      const result = await runCommand({ argv: rendered.argv, runDir: join(dir, 'run'), payloadJson: 'null', env: {}, timeoutMs: 10_000, maxOutputBytes: 1024 * 1024 });
      const expected = line.shell ? `<${value}>` : `<${value}><${value}><${value}><--ref=${value}>`;
      expect(result.stdout === expected).toBe(true);
      expect(result.exitCode).toBe(0);
      expect(existsSync(marker)).toBe(false);
    }
  });

  it('refuses a value that would start an argument with "-", unless marked an option or after fixed text', () => {
    const refusal =
      'the value of {{vars.v}} starts with "-", so the program would read it as an option; nothing was run. Write {{vars.v | option}} if an option is meant';
    const value = '--upload-pack=touch x';
    expect(renderCommand(lineOf({ command: 'git ls-remote {{vars.v}} HEAD' }), context({ v: value }))).toMatchObject({ ok: false, error: refusal });
    expect(renderCommand(lineOf({ command: "git ls-remote '{{vars.v}}'" }), context({ v: value }))).toMatchObject({ ok: false, error: refusal });
    expect(renderCommand(lineOf({ command: 'git {{vars.empty}}{{vars.v}}' }), context({ v: value, empty: '' }))).toMatchObject({ ok: false, error: refusal });
    expect(renderCommand(lineOf({ shell: true, command: 'git ls-remote {{vars.v}}' }), context({ v: value }))).toMatchObject({ ok: false, error: refusal });
    expect(renderCommand(lineOf({ command: 'git ls-remote {{ vars.v | option }}' }), context({ v: value }))).toMatchObject({ ok: true, argv: ['git', 'ls-remote', value] });
    expect(renderCommand(lineOf({ command: 'git --x={{vars.v}} ./{{vars.v}}' }), context({ v: value }))).toMatchObject({
      ok: true,
      argv: ['git', `--x=${value}`, `./${value}`],
    });
  });

  it('fails on a NUL in a value, and on an argument past the per-argument limit, and accepts one at the limit', () => {
    const line = lineOf({ command: 'echo {{vars.v}}' });
    expect(renderCommand(line, context({ v: 'a\0b' }))).toMatchObject({
      ok: false,
      error: 'the value of {{vars.v}} contains a NUL character, which no program argument can carry; nothing was run',
    });
    expect(renderCommand(line, context({ v: 'y'.repeat(MAX_ARGUMENT_BYTES) }))).toMatchObject({ ok: true });
    expect(renderCommand(line, context({ v: 'é'.repeat(70_000) }))).toMatchObject({
      ok: false,
      error: `argument 2 is 140000 bytes; a program argument can be at most ${MAX_ARGUMENT_BYTES} bytes. Read large values from the payload file ($WEBHOOK_PAYLOAD_PATH) instead; nothing was run`,
    });
    expect(renderCommand(lineOf({ shell: true, command: 'echo {{vars.v}}' }), context({ v: "'".repeat(40_000) }))).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^the rendered shell command is 160007 bytes/),
    });
  });

  it('shows what ran and lists missing values once', () => {
    expect(renderCommand(lineOf({ command: 'echo {{vars.none}} {{vars.none}} {{webhook.ref}}' }), context({}))).toEqual({
      ok: true,
      argv: ['echo', '', '', 'main'],
      shown: { argv: ['echo', '', '', 'main'] },
      warnings: ['{{vars.none}} has no value'],
    });
    expect(renderCommand(lineOf({ shell: true, command: 'echo {{webhook.ref}}' }), context({}))).toEqual({
      ok: true,
      argv: ['/bin/sh', '-c', "echo 'main'"],
      shown: { command: "echo 'main'" },
      warnings: [],
    });
  });
});
