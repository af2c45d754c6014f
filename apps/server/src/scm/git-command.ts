import { execFile } from 'node:child_process';
import { ScmHostError } from '../../../../libs/engine/src/scm-hosts';
import { redactSecrets } from './secret-text';

/** Only these reach git from the server's environment: nothing that points it at another repository or config. */
const PASSED_ENV = ['PATH', 'HOME', 'TMPDIR', 'SSL_CERT_FILE', 'SSL_CERT_DIR', 'SSH_AUTH_SOCK', 'http_proxy', 'https_proxy', 'no_proxy', 'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY'];
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

export interface GitCommandOptions {
  /** The git executable: `git` on PATH unless told otherwise. */
  binary: string;
  timeoutMs: number;
  /** Extra git configuration, passed through the environment (GIT_CONFIG_COUNT...) and never in argv. */
  config: Array<[key: string, value: string]>;
  /** Taken out of every error message. */
  secrets: string[];
  /** How the remote is named in messages. */
  remote: string;
}

export interface GitFailure {
  stderr: string;
  timedOut: boolean;
}

/**
 * Runs git with argv (never a shell), a time limit, no prompts, no user or system config and
 * no transports but the safe ones. Credentials travel in the environment only.
 */
export function runGit(args: string[], options: GitCommandOptions): Promise<string> {
  const env: Record<string, string> = {
    GIT_TERMINAL_PROMPT: '0',
    GCM_INTERACTIVE: 'never',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_ALLOW_PROTOCOL: 'https:http:git:ssh:file',
    GIT_SSH_COMMAND: 'ssh -o BatchMode=yes',
    // Messages are read to tell bad credentials from a missing repository: keep them in English.
    LC_ALL: 'C',
    LANGUAGE: 'C',
  };
  for (const name of PASSED_ENV) if (process.env[name] !== undefined) env[name] = process.env[name] as string;
  env.GIT_CONFIG_COUNT = String(options.config.length);
  options.config.forEach(([key, value], index) => {
    env[`GIT_CONFIG_KEY_${index}`] = key;
    env[`GIT_CONFIG_VALUE_${index}`] = value;
  });
  return new Promise((resolve, reject) => {
    execFile(options.binary, args, { env, timeout: options.timeoutMs, killSignal: 'SIGKILL', maxBuffer: MAX_OUTPUT_BYTES, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (!error) {
        resolve(stdout);
        return;
      }
      const failed = error as NodeJS.ErrnoException & { killed?: boolean; signal?: string | null };
      if (failed.code === 'ENOENT') {
        reject(new ScmHostError('unavailable', `git is not installed on this server (${options.binary} was not found)`));
        return;
      }
      reject(Object.assign(new Error('git failed'), { stderr: stderr || failed.message, timedOut: failed.killed === true || failed.signal === 'SIGKILL' } satisfies GitFailure));
    });
  });
}

/** A failed git run as an ScmHostError: what went wrong, read from git's own words, with no credential in it. */
export function gitFailure(err: unknown, options: Pick<GitCommandOptions, 'secrets' | 'remote' | 'timeoutMs'>): ScmHostError {
  if (err instanceof ScmHostError) return err;
  const { stderr = '', timedOut = false } = err as Partial<GitFailure>;
  if (timedOut) return new ScmHostError('unavailable', `git did not finish with ${options.remote} within ${options.timeoutMs / 1000} s`);
  const said = redactSecrets(summary(stderr), options.secrets);
  const message = `git could not use ${options.remote}: ${said}`;
  if (/no such repository|not exported|does not appear to be a git repository|repository '[^']*' not found|Repository not found|returned error: 404\b/i.test(stderr)) {
    return new ScmHostError('not_found', `${message}; check the remote URL`);
  }
  if (/Authentication failed|could not read (Username|Password)|terminal prompts disabled|Access denied|returned error: 40[13]\b|Permission denied \(publickey|Host key verification failed/i.test(stderr)) {
    return new ScmHostError('auth', `${message}; check the user name and token`);
  }
  if (/returned error: 429\b/.test(stderr)) return new ScmHostError('rate_limited', message, { retryAt: new Date(Date.now() + 60_000) });
  if (/not our ref|unadvertised object|couldn't find remote ref|bad object|does not exist/i.test(stderr)) return new ScmHostError('not_found', message);
  return new ScmHostError('unavailable', message);
}

/** The lines git meant for people (fatal:, error:, remote:), at most 300 characters. */
function summary(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /^(fatal|error|remote|ERROR)\b/.test(line));
  const text = (lines.length ? lines : stderr.split('\n').filter(Boolean)).join(' ').replace(/\s+/g, ' ').trim();
  return (text || 'no message').slice(0, 300);
}
