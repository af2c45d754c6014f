/** What a signature scheme gets: the message exactly as received, the secrets and a clock. */
export interface SchemeInput {
  rawBody: Buffer;
  /** Lower-case header names. */
  headers: Record<string, string>;
  query: Record<string, string | string[]>;
  /** Current secret first, then a previous one that has not expired. */
  secrets: Array<{ which: 'current' | 'previous'; value: string }>;
  options: Record<string, unknown>;
  now: Date;
}

export type SchemeResult =
  | { ok: true; matchedSecret?: 'current' | 'previous' }
  | { ok: false; reason: string; /** Only the timestamp was out of tolerance. */ staleOnly?: boolean };

export interface SignatureScheme {
  /** The name providers use to pick the scheme; part of the API. */
  name: string;
  /** One sentence: what the sender sends and what the secret is. */
  description: string;
  /** Option name → what it does, for the options this scheme reads; absent when it reads none. */
  options?: Record<string, string>;
  /** Why the scheme cannot read these options' values, or undefined; saving such options is refused. */
  checkOptions?(options: Record<string, unknown>): string | undefined;
  /** Whether the scheme needs a secret; one that does fails closed without it. */
  needsSecret: boolean;
  /**
   * Lower-case names of the request headers that carry the credential itself, in clear (a
   * token, a password), as opposed to a signature over the body. The server stores and shows
   * them redacted. Options may name the header (azure-devops `headerName`).
   */
  credentialHeaders(options: Record<string, unknown>): string[];
  verify(input: SchemeInput): SchemeResult;
}
