/** Shapes of the admin API's answers, as documented in GET /api/docs. */

export interface User {
  id: string;
  username: string;
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
