import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { payloadPathFor, runCommand, type CommandRunInput } from './run-command';

describe('runCommand', () => {
  let root: string;
  let runDir: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'hookline-run-'));
    runDir = join(root, 'runs', 'run_1');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  /** `shell` is run with `/bin/sh -c`, as a command with `"shell": true` is. */
  function input({ shell, ...overrides }: Partial<CommandRunInput> & { shell?: string }): CommandRunInput {
    return {
      argv: ['/bin/sh', '-c', shell ?? 'true'],
      runDir,
      payloadJson: '{"ref":"main"}',
      env: {},
      timeoutMs: 10_000,
      maxOutputBytes: 64 * 1024,
      ...overrides,
    };
  }

  it('puts the payload file under task-output with an absolute path', () => {
    expect(payloadPathFor('/srv/runs/r1')).toBe('/srv/runs/r1/task-output/webhook-payload.json');
    const relative = payloadPathFor('runs/r1');
    expect(isAbsolute(relative)).toBe(true);
    expect(relative.endsWith('/runs/r1/task-output/webhook-payload.json')).toBe(true);
  });

  it('writes the payload before starting and lets the command read it through WEBHOOK_PAYLOAD_PATH', async () => {
    const result = await runCommand(input({ shell: 'cat "$WEBHOOK_PAYLOAD_PATH"; printf "|%s" "$WEBHOOK_PAYLOAD_PATH" "$PWD"' }));
    const payloadPath = join(runDir, 'task-output', 'webhook-payload.json');
    expect(result).toMatchObject({ exitCode: 0, signal: null, timedOut: false, stderr: '', payloadPath });
    expect(result.stdout).toBe(`{"ref":"main"}|${payloadPath}|${runDir}`);
    expect(statSync(payloadPath).mode & 0o777).toBe(0o600);
  });

  it('writes a 5 MB payload in full', async () => {
    const payloadJson = JSON.stringify({ blob: 'x'.repeat(5 * 1024 * 1024) });
    const result = await runCommand(input({ shell: 'wc -c < "$WEBHOOK_PAYLOAD_PATH"', payloadJson }));
    expect(Number(result.stdout.trim())).toBe(Buffer.byteLength(payloadJson));
    expect(readFileSync(result.payloadPath, 'utf8')).toBe(payloadJson);
  });

  it('passes the given variables over a minimal environment', async () => {
    process.env.HOOKLINE_TEST_LEAK = 'should not be seen';
    try {
      const result = await runCommand(
        input({
          shell: 'printf "%s|%s|%s|%s|%s" "$HOOKLINE_RUN_ID" "$HOOKLINE_MESSAGE_ID" "${HOOKLINE_TEST_LEAK-unset}" "$HOME" "$PATH"',
          env: { HOOKLINE_RUN_ID: 'run_1', HOOKLINE_MESSAGE_ID: 'msg_1' },
        }),
      );
      expect(result.stdout).toBe(`run_1|msg_1|unset|${process.env.HOME}|${process.env.PATH}`);
    } finally {
      delete process.env.HOOKLINE_TEST_LEAK;
    }
  });

  it('does not let the given variables redirect WEBHOOK_PAYLOAD_PATH', async () => {
    const result = await runCommand(input({ shell: 'printf %s "$WEBHOOK_PAYLOAD_PATH"', env: { WEBHOOK_PAYLOAD_PATH: '/etc/passwd' } }));
    expect(result.stdout).toBe(result.payloadPath);
  });

  it('reports exit codes and stderr without rejecting', async () => {
    const result = await runCommand(input({ shell: 'echo out; echo oops >&2; exit 3' }));
    expect(result).toMatchObject({ exitCode: 3, signal: null, timedOut: false, stdout: 'out\n', stderr: 'oops\n' });
    expect(result.error).toBeUndefined();
    const missing = await runCommand(input({ shell: 'no-such-command-hookline' }));
    expect(missing.exitCode).toBe(127);
    expect(missing.stderr).toContain('no-such-command-hookline');
  });

  it('closes stdin', async () => {
    const result = await runCommand(input({ shell: 'cat; echo "read done"' }));
    expect(result).toMatchObject({ exitCode: 0, stdout: 'read done\n', timedOut: false });
  });

  it('kills the whole process group on timeout, children included', async () => {
    const marker = join(root, 'child-survived');
    const result = await runCommand(input({ shell: `(sleep 1; touch "${marker}") & sleep 100 & wait`, timeoutMs: 200 }));
    expect(result).toMatchObject({ timedOut: true, exitCode: null, signal: 'SIGKILL' });
    await delay(1_300);
    expect(existsSync(marker)).toBe(false);
  });

  it('kills background children left behind when the shell exits', async () => {
    const marker = join(root, 'orphan-survived');
    const result = await runCommand(input({ shell: `(sleep 1; touch "${marker}") & echo started` }));
    expect(result).toMatchObject({ exitCode: 0, timedOut: false, stdout: 'started\n' });
    await delay(1_300);
    expect(existsSync(marker)).toBe(false);
  });

  it('keeps the first bytes of each stream up to the cap and reports truncation', async () => {
    const result = await runCommand(
      input({ shell: 'printf "0123456789abcdef"; head -c 200000 /dev/zero | tr "\\0" e >&2; echo done > finished', maxOutputBytes: 10 }),
    );
    expect(result).toMatchObject({
      exitCode: 0,
      stdout: '0123456789',
      stdoutTruncated: true,
      stderr: 'eeeeeeeeee',
      stderrTruncated: true,
      outputCapBytes: 10,
    });
    // The command was not blocked by a full pipe: it ran to the end.
    expect(readFileSync(join(runDir, 'finished'), 'utf8')).toBe('done\n');
  });

  it('does not mark output at exactly the cap as truncated', async () => {
    const result = await runCommand(input({ shell: 'printf 12345', maxOutputBytes: 5 }));
    expect(result).toMatchObject({ stdout: '12345', stdoutTruncated: false, stderrTruncated: false });
  });

  it('returns a result, not a rejection, when the run directory cannot be created', async () => {
    const blocker = join(root, 'a-file');
    writeFileSync(blocker, '');
    const result = await runCommand(input({ runDir: join(blocker, 'run') }));
    expect(result).toMatchObject({ exitCode: null, signal: null, timedOut: false, stdout: '' });
    expect(result.stderr).toContain('Could not prepare run directory');
    expect(result.error).toBe(result.stderr);
  });

  it('returns a result, not a rejection, when the program cannot be started', async () => {
    const result = await runCommand(input({ shell: 'echo \0 nul' }));
    expect(result).toMatchObject({ exitCode: null, signal: null, timedOut: false, stdout: '' });
    expect(result.stderr).toContain('Could not start /bin/sh');
    expect(result.error).toBe(result.stderr);
    const missing = await runCommand(input({ argv: ['no-such-program-hookline', 'x'] }));
    expect(missing).toMatchObject({ exitCode: null, signal: null, timedOut: false, stdout: '' });
    expect(missing.error).toBe('Could not start no-such-program-hookline: spawn no-such-program-hookline ENOENT');
  });

  it('runs a program without a shell, each argument exactly as given', async () => {
    const marker = join(root, 'pwned');
    const args = [`$(touch ${marker})`, `; touch ${marker}`, "'\"", '', 'two words', '-n'];
    const result = await runCommand(input({ argv: ['printf', '<%s>', ...args] }));
    expect(result).toMatchObject({ exitCode: 0, stderr: '' });
    expect(result.stdout).toBe(args.map((a) => `<${a}>`).join(''));
    expect(existsSync(marker)).toBe(false);
  });
});
