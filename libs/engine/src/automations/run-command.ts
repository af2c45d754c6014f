import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { errorMessage } from '../sandbox/error-message';
import { OutputCapture } from './output-capture';

export interface CommandRunInput {
  /** The program and its arguments, executed directly without a shell (`['/bin/sh', '-c', …]` for a shell command). */
  argv: string[];
  /** Created if missing; becomes the working directory. */
  runDir: string;
  /** Written in full to `payloadPathFor(runDir)` before the command starts. */
  payloadJson: string;
  /** Added to the minimal base environment (the server passes HOOKLINE_RUN_ID, HOOKLINE_MESSAGE_ID). */
  env: Record<string, string>;
  /** The whole process group is killed after this long; 0 or less means no limit. */
  timeoutMs: number;
  /** Cap for stdout and for stderr, each; the first bytes are kept. */
  maxOutputBytes: number;
}

export interface CommandRunResult {
  /** Null when the command was killed by a signal or never started. */
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
  outputCapBytes: number;
  durationMs: number;
  payloadPath: string;
  /** Set when the run directory could not be prepared or the program could not be started; the text is also in stderr. */
  error?: string;
}

const PAYLOAD_FILE = join('task-output', 'webhook-payload.json');
const FALLBACK_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
// After the group is killed, how long to wait for the pipes to close before giving up on them
// (a process that left the group with setsid can hold them open forever).
const PIPE_CLOSE_GRACE_MS = 1_000;
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Where a run's full webhook payload is written: `<runDir>/task-output/webhook-payload.json`, absolute. */
export function payloadPathFor(runDir: string): string {
  return resolve(runDir, PAYLOAD_FILE);
}

/**
 * Runs a program for an automation. Never rejects: a failing command is a result with its
 * exit code, and a command that cannot start is a result with `exitCode: null` and the reason in
 * `stderr`. The command owns a process group; anything it leaves running is killed when the
 * program exits or the timeout fires, so no process outlives its run.
 */
export async function runCommand(input: CommandRunInput): Promise<CommandRunResult> {
  const started = performance.now();
  const runDir = resolve(input.runDir);
  const payloadPath = payloadPathFor(runDir);
  const outputCapBytes = Math.max(0, Math.floor(input.maxOutputBytes) || 0);

  try {
    await mkdir(join(runDir, 'task-output'), { recursive: true, mode: 0o700 });
    // The payload can carry secrets: readable by the service user only.
    await writeFile(payloadPath, input.payloadJson, { mode: 0o600 });
  } catch (error) {
    return failedToStart(`Could not prepare run directory ${runDir}: ${errorMessage(error)}`);
  }

  const env: Record<string, string> = { PATH: process.env.PATH ?? FALLBACK_PATH };
  if (process.env.HOME !== undefined) env.HOME = process.env.HOME;
  if (process.env.LANG !== undefined) env.LANG = process.env.LANG;
  // Set last so input.env cannot point the command at some other file.
  Object.assign(env, input.env, { WEBHOOK_PAYLOAD_PATH: payloadPath });

  const [file, ...args] = input.argv;
  if (file === undefined) return failedToStart('No program to run');
  let child: ChildProcess;
  try {
    // No `shell` option: each argument reaches the program exactly as given.
    child = spawn(file, args, {
      cwd: runDir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so the timeout can kill everything the command started.
      detached: true,
    });
  } catch (error) {
    return failedToStart(`Could not start ${file}: ${errorMessage(error)}`);
  }

  const stdout = new OutputCapture(outputCapBytes);
  const stderr = new OutputCapture(outputCapBytes);
  stdout.attach(child.stdout);
  stderr.attach(child.stderr);

  return new Promise<CommandRunResult>((settle) => {
    let timedOut = false;
    let exitCode: number | null = null;
    let signal: string | null = null;
    let spawnError: string | undefined;
    let graceTimer: NodeJS.Timeout | undefined;
    let timeoutTimer: NodeJS.Timeout | undefined;
    let done = false;

    const killGroup = (): void => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // ESRCH: the group is already empty.
      }
    };

    const finish = (): void => {
      if (done) return;
      done = true;
      clearTimeout(timeoutTimer);
      clearTimeout(graceTimer);
      child.stdout?.destroy();
      child.stderr?.destroy();
      let stderrText = stderr.text();
      if (spawnError !== undefined) stderrText += (stderrText === '' || stderrText.endsWith('\n') ? '' : '\n') + spawnError;
      settle({
        exitCode,
        signal,
        timedOut,
        stdout: stdout.text(),
        stderr: stderrText,
        stdoutTruncated: stdout.truncated,
        stderrTruncated: stderr.truncated,
        outputCapBytes,
        durationMs: Math.round(performance.now() - started),
        payloadPath,
        ...(spawnError !== undefined ? { error: spawnError } : {}),
      });
    };

    if (Number.isFinite(input.timeoutMs) && input.timeoutMs > 0) {
      timeoutTimer = setTimeout(() => {
        timedOut = true;
        killGroup();
      }, Math.min(input.timeoutMs, MAX_TIMER_MS));
    }
    child.on('exit', (code, exitSignal) => {
      exitCode = code;
      signal = exitSignal;
      clearTimeout(timeoutTimer);
      // Background children still in the group would hold the pipes open and outlive the run.
      killGroup();
      graceTimer = setTimeout(finish, PIPE_CLOSE_GRACE_MS);
    });
    child.on('close', finish);
    child.on('error', (error) => {
      spawnError = `Could not start ${file}: ${errorMessage(error)}`;
      // A process that never started emits no 'exit'; one that did is still awaited through 'close'.
      if (child.pid === undefined) finish();
    });
  });

  function failedToStart(message: string): CommandRunResult {
    return {
      exitCode: null,
      signal: null,
      timedOut: false,
      stdout: '',
      stderr: message,
      stdoutTruncated: false,
      stderrTruncated: false,
      outputCapBytes,
      durationMs: Math.round(performance.now() - started),
      payloadPath,
      error: message,
    };
  }
}
