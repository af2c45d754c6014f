/** Shapes of the admin API's answers, as documented in GET /api/docs. */

import type { Role } from '../../../../server/src/auth/roles';

export type { Role };

/** Who is logged in, with the role the server checks on every request. */
export interface User {
  id: string;
  username: string;
  role: Role;
}

export interface LoginAnswer {
  token: string;
  user: User;
  expiresAt: string;
}

/** Written once, in the server: the console compiles the same file. */
export type { ProviderView as Provider } from '../../../../server/src/providers/provider-view';

export interface Scheme {
  name: string;
  description: string;
  needsSecret: boolean;
  /** Option name → what it does. */
  options: Record<string, string>;
}

export interface SchemesAnswer {
  schemes: Scheme[];
  eventFormats: string[];
}
