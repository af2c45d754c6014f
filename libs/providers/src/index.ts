import { bearerScheme } from './bearer';
import { noneScheme } from './none';
import type { SignatureScheme } from './scheme';

export * from './scheme';
export { noneScheme } from './none';
export { bearerScheme, constantTimeEquals } from './bearer';

/** Every scheme a provider can name, by name. */
export const BUILTIN_SCHEMES: readonly SignatureScheme[] = [noneScheme, bearerScheme];
