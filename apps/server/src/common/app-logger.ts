import { ConsoleLogger } from '@nestjs/common';

// Nest announces every controller and route at start; useful when debugging routing, noise otherwise.
const WIRING_CONTEXTS = new Set(['RoutesResolver', 'RouterExplorer']);

/** Nest's console logger, with the route-mapping lines moved down to `debug`. */
export class AppLogger extends ConsoleLogger {
  override log(message: unknown, ...optionalParams: unknown[]): void {
    const context = optionalParams.at(-1);
    if (typeof context === 'string' && WIRING_CONTEXTS.has(context)) super.debug(message, ...optionalParams);
    else super.log(message, ...optionalParams);
  }
}
