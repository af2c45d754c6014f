import type { LoggerService } from '@nestjs/common';
import type { Logger, Level } from 'pino';

// Nest announces every controller and route at start; useful when debugging routing, noise otherwise.
const WIRING_CONTEXTS = new Set(['RoutesResolver', 'RouterExplorer']);

/**
 * Nest's `Logger` calls written through the root pino logger: the context (`new Logger('Queue')`)
 * becomes the `context` field, an error's stack the `stack` field, and an object after the message
 * (`logger.debug('Function ran', { functionId })`) adds its fields. Route-mapping lines go to debug.
 */
export class NestLogger implements LoggerService {
  constructor(private readonly root: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    const context = params.at(-1);
    this.write(typeof context === 'string' && WIRING_CONTEXTS.has(context) ? 'debug' : 'info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    // Nest passes (message, stack, context) for errors; a lone extra parameter is the context.
    const [stack] = params.length >= 2 ? params : [undefined];
    this.write('error', message, params, typeof stack === 'string' ? stack : undefined);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: Level, message: unknown, params: unknown[], stack?: string): void {
    if (!this.root.isLevelEnabled(level)) return;
    const context = params.length > 0 && typeof params.at(-1) === 'string' ? (params.at(-1) as string) : undefined;
    const extra = params.filter((param): param is Record<string, unknown> => typeof param === 'object' && param !== null && !(param instanceof Error));
    const fields: Record<string, unknown> = Object.assign({}, ...extra, context !== undefined && { context }, stack !== undefined && { stack });
    if (message instanceof Error) this.root[level]({ ...fields, err: message }, message.message);
    else if (typeof message === 'string') this.root[level](fields, message);
    else this.root[level]({ ...fields, data: message }, JSON.stringify(message));
  }
}
