import { noneScheme } from './none';
import type { SignatureScheme } from './scheme';

export * from './scheme';
export { noneScheme } from './none';

/** Every scheme a provider can name, by name. */
export const BUILTIN_SCHEMES: readonly SignatureScheme[] = [noneScheme];
