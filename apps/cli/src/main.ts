import { ApiError } from '../../../libs/config-as-code/src/api';
import { ConfigFileError } from '../../../libs/config-as-code/src/config-document';
import { CliError } from './cli-error';
import { exportCommand, importCommand } from './commands/config-commands';
import { loginCommand, logoutCommand } from './commands/login';
import { messagesCommand } from './commands/messages';
import { resubmitCommand } from './commands/resubmit';
import { runsCommand, tasksCommand } from './commands/runs-tasks';
import { sendCommand } from './commands/send';
import { HELP, helpFor } from './help';
import { describeFailure } from './server-client';

const COMMANDS: Record<string, (argv: string[]) => Promise<void>> = {
  login: loginCommand,
  logout: logoutCommand,
  export: exportCommand,
  import: importCommand,
  send: sendCommand,
  messages: messagesCommand,
  resubmit: resubmitCommand,
  runs: runsCommand,
  tasks: tasksCommand,
};

/** Runs one command; the exit status is 0, or 1 with one line on stderr saying what to fix. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(rest[0] ? helpFor(rest[0]) : HELP);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`hookline: unknown command "${name}"; the commands are ${Object.keys(COMMANDS).join(', ')} (hookline help)\n`);
    return 1;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(helpFor(name));
    return 0;
  }
  try {
    await command(rest);
    return 0;
  } catch (error) {
    const known = error instanceof CliError || error instanceof ConfigFileError ? error.message : describeFailure(error);
    if (known === undefined && !(error instanceof ApiError)) throw error;
    process.stderr.write(`hookline ${name}: ${known ?? (error as Error).message}\n`);
    return 1;
  }
}

/** The process's arguments in, its exit status out; for bin/hookline.js and `node dist/apps/cli/src/main.js`. */
export function runFromCommandLine(): void {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`hookline: ${(error as Error).stack ?? String(error)}\n`);
      process.exitCode = 2;
    },
  );
}

if (require.main === module) runFromCommandLine();
