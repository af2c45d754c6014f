/** Shapes of the Git provider routes of the admin API, as documented in GET /api/docs. */

/** Written once, in the server: the console compiles the same file. */
export type { GitProviderCheckView as GitProviderCheck, GitProviderView as GitProvider } from '../../../../server/src/git-providers/git-provider-view';
import type { GitProviderView } from '../../../../server/src/git-providers/git-provider-view';

export type GitProviderKind = GitProviderView['kind'];

/**
 * What a create or a save sends. PUT changes only the fields it names: the token is kept when
 * left out and removed with null; a change of kind drops the settings only the old kind used.
 */
export interface GitProviderInput {
  name: string;
  kind: GitProviderKind;
  baseUrl?: string | null;
  remoteUrl?: string | null;
  username?: string | null;
  token?: string | null;
}
