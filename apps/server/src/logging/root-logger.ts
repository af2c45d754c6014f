import pino, { type DestinationStream, type Logger } from 'pino';
import pretty from 'pino-pretty';
import type { LogFormat, LogLevel } from '../config';
import { logFields } from './log-context';
import { CENSOR, redactionPaths } from './redaction';

export interface LogSettings {
  level: LogLevel;
  format: LogFormat;
}

/**
 * The one logger of the process: Nest's Logger calls and Fastify's own lines both go through it.
 * JSON lines carry the message context in force (log-context.ts) and never the values of
 * credential headers or secret fields (redaction.ts); pretty lines are the same records for a terminal.
 */
export function createRootLogger(settings: LogSettings, destination: DestinationStream = formatted(settings.format, 1)): Logger {
  return pino(
    {
      level: settings.level,
      timestamp: pino.stdTimeFunctions.isoTime,
      // Level names, not pino's numbers: what a collector's query and a reader expect.
      formatters: { level: (label) => ({ level: label }) },
      mixin: () => ({ ...logFields() }),
      redact: { paths: redactionPaths(), censor: CENSOR },
    },
    destination,
  );
}

/** Standard output (1) or standard error (2), written in `format`. */
export function formatted(format: LogFormat, fd: 1 | 2): DestinationStream {
  if (format === 'json') return pino.destination({ dest: fd, sync: true });
  return pretty({
    destination: fd,
    // Written at once, like console.log: a line printed before a crash is not lost.
    sync: true,
    colorize: Boolean((fd === 1 ? process.stdout : process.stderr).isTTY) && !process.env.NO_COLOR,
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'pid,hostname,context',
    singleLine: true,
    messageFormat: '{if context}[{context}] {end}{msg}',
  });
}

/**
 * Start-up lines people and scripts wait for ("Listening on", the first start's password box): as
 * they are on a terminal, one record each in JSON so that a collector keeps them too.
 */
export function announce(logger: Logger, format: LogFormat, text: string): void {
  if (format === 'pretty') process.stdout.write(`${text}\n`);
  else logger.info(text);
}
