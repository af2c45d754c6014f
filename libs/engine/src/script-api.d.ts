/**
 * The Hookline script API: what provider match scripts, function conditions and function
 * scripts can use. The console's editor loads this file for completion and hover help, and
 * tests type-check scripts against it. Keep it in step with `script-types.ts` and the sandbox's
 * guest runtime.
 *
 * Each kind of script sees only its own globals: `scriptDeclarations` (script-declarations.ts)
 * keeps the `declare` statements of the names the engine puts in that kind's scope, each with
 * the JSDoc right above it, so keep one `declare` per global, its JSDoc directly above.
 *
 * Scripts run in an isolated JavaScript engine: there is no `require`, `import`, `process`,
 * file system, timers or network other than `http.fetch` (and `automations.trigger`).
 *
 * Self-contained on purpose (no imports): it is added to the editor as an extra library.
 */

/** The inbound webhook request as a script sees it. */
interface HooklineRequest {
  /** The HTTP method in upper case, e.g. `"POST"`. */
  method: string;
  /** The path after `/webhooks/`, without the query string, e.g. `"git/push"`. */
  uri: string;
  /** The full request path as received, e.g. `"/webhooks/git/push"`. */
  path: string;
  /** Request headers; names are lower-case, e.g. `request.headers["x-github-event"]`. */
  headers: Record<string, string>;
  /** Query string parameters; a parameter given more than once is an array. */
  query: Record<string, string | string[]>;
  /** The body decoded as UTF-8 text, exactly as received. */
  body: string;
  /**
   * The parsed body when the content type is JSON and the body parses; otherwise `null`.
   * Parsed on first use, so a script that never reads it does not pay for it.
   */
  json: any;
  /** The fields of an `application/x-www-form-urlencoded` body; otherwise `null`. */
  form: Record<string, string | string[]> | null;
}

/** The provider (sender) this request was matched to. */
interface HooklineProvider {
  /** The provider's name as configured, e.g. `"github"`. */
  name: string;
  /** The provider's configured properties: plain text, shown by the API. */
  properties: Record<string, string>;
  /**
   * The provider's secret properties, e.g. `provider.secrets.deployToken`: write-only in the
   * API and encrypted at rest. Scripts alone can read them; keep them out of return values and
   * `log`, which are stored in the message's trace.
   */
  secrets: Record<string, string>;
}

/** The stored message this function run belongs to. */
interface HooklineMessage {
  /** The message id, as shown in the console. */
  id: string;
  /** When the webhook was received, as an ISO 8601 timestamp. */
  receivedAt: string;
  /** `"webhook"` for a delivery from the sender, `"resubmit"` when replayed from the console. */
  triggeredBy: 'webhook' | 'resubmit';
}

/** Writes to the function run's log, shown with the message in the console. */
interface HooklineLog {
  /**
   * Logs at level info. Arguments are joined by spaces like `console.log`: strings as they are,
   * other values as JSON. A run keeps at most 1000 entries of at most 8 KB each; later entries
   * are dropped and longer ones cut, with a note saying so.
   */
  info(...args: unknown[]): void;
  /** Logs at level warn; formatted and limited like `log.info`. */
  warn(...args: unknown[]): void;
  /** Logs at level error; formatted and limited like `log.info`. */
  error(...args: unknown[]): void;
}

/** The HTTP response `respond()` sends back to the sender of the webhook. */
interface HooklineResponse {
  /** An integer status code from 100 to 599. Default 200. */
  status?: number;
  /**
   * Response headers. Names are RFC 7230 tokens; values hold tabs, printable ASCII and Latin-1
   * only (no CR, LF, NUL or other control characters). `content-length`, `transfer-encoding`
   * and other framing headers are the server's and are dropped.
   */
  headers?: Record<string, string>;
  /**
   * A string is sent as it is; `null` or leaving it out sends no body; anything else is sent as
   * JSON. At most 1 MB as sent.
   */
  body?: unknown;
}

/** Options for `http.fetch`. */
interface HooklineFetchOptions {
  /** The HTTP method, e.g. `"POST"`. Default `"GET"`. */
  method?: string;
  /** Request headers. */
  headers?: Record<string, string>;
  /** The request body as text; for JSON, pass `JSON.stringify(value)` and set `content-type`. */
  body?: string;
}

/** The response to an `http.fetch` call. */
interface HooklineFetchResponse {
  /** The HTTP status code. */
  status: number;
  /** True when the status is from 200 to 299. */
  ok: boolean;
  /** Response headers; names are lower-case. */
  headers: Record<string, string>;
  /** The response body as text. */
  body: string;
  /** Parses `body` as JSON; throws a SyntaxError when it is not JSON. */
  json(): any;
}

/** Outbound HTTP for function scripts. */
interface HooklineHttp {
  /**
   * Sends an HTTP request and resolves with the response, whatever its status. Rejects when the
   * request cannot be made, including when the server's configuration does not allow the host;
   * the error message says why, and when the response is over 1 MB. Counts against the
   * function's time limit; a request still running when the run ends is aborted.
   *
   * @example
   * const res = await http.fetch("https://api.example.com/items", {
   *   method: "POST",
   *   headers: { "content-type": "application/json" },
   *   body: JSON.stringify({ id: message.id }),
   * });
   * if (!res.ok) log.warn("upstream said", res.status);
   */
  fetch(url: string, options?: HooklineFetchOptions): Promise<HooklineFetchResponse>;
}

/** Starts automations linked to the function, from its script. */
interface HooklineAutomations {
  /**
   * Starts the automation linked to this function that has the name or id `nameOrId`, passing it
   * `vars`, and resolves with the new run's id. `vars` must be plain JSON data: objects, arrays,
   * strings, finite numbers, booleans and `null` (properties set to `undefined` are left out),
   * at most 256 KB as JSON. Anything else (a function, a BigInt, a Date, an object that contains
   * itself) throws a TypeError before anything is started. Rejects with an Error saying why when
   * the server refuses, e.g. when no automation of that name is linked to this function. Counts
   * against the function's time limit while it waits for the run's id.
   *
   * @example
   * try {
   *   const runId = await automations.trigger("deploy", { env: "prod", sha: event?.sha });
   *   log.info("deploy started as run", runId);
   * } catch (error) {
   *   log.error("could not start deploy:", error.message);
   * }
   */
  trigger(nameOrId: string, vars?: Record<string, unknown>): Promise<string>;
}

/**
 * The inbound request. In provider match scripts and function scripts.
 * @example
 * return request.headers["x-github-event"] !== undefined;
 */
declare const request: HooklineRequest;

/** The provider the request was matched to. In match scripts, conditions and function scripts. */
declare const provider: HooklineProvider;

/** The stored message being processed. Function scripts only. */
declare const message: HooklineMessage;

/** What happened, in the same shape whoever sent it. */
interface HooklineEvent {
  /** The event format that named it, e.g. `"github"`, `"gitlab"`, `"stripe"`. */
  provider: string;
  /** The sender's own event name, e.g. `"pull_request"`, `"Merge Request Hook"`, `"payment_intent.succeeded"`. */
  type: string;
  /** The sender's action when it has one, e.g. `"opened"`; otherwise `null`. */
  action: string | null;
  /**
   * A stable key across senders: `"push"`, `"tag:push"`, `"pull_request:opened"`, `"pull_request:merged"`,
   * `"pull_request:approved"`, `"comment:created"`, `"issue:updated"`, `"payment_intent.succeeded"`…
   */
  key: string;
  /** The repository's full name, e.g. `"octo-org/hello-world"`. */
  repository?: string;
  /** The branch, without `refs/heads/`. */
  branch?: string;
  /** The commit the event is about (after a push, the new head). */
  sha?: string;
  /** The commit before a push. */
  beforeSha?: string;
  /** Who did it: a login or user name. */
  actor?: string;
  /** A web link to what the event is about. */
  url?: string;
  /** The pull or merge request, for pull request events and comments on one. */
  pullRequest?: { number: number; state: string; merged: boolean };
  /** The issue or work item: a tracker key such as `"PROJ-12"` (Jira), else its number. */
  issue?: string | number;
}

/**
 * The provider's normalized event, or `null` when the provider does not name events.
 * In conditions and function scripts.
 * @example
 * event?.key == "pull_request:merged" && event.branch == "main"
 */
declare const event: HooklineEvent | null;

/**
 * The event type the provider reported, e.g. `"push"` for GitHub, or `null` when it has none.
 * In conditions and function scripts.
 */
declare const eventType: string | null;

/**
 * The function run's log. Function scripts only.
 * @example
 * log.info("received", eventType, request.json);
 */
declare const log: HooklineLog;

/**
 * Sends the HTTP response to the webhook's sender right away, while the script carries on:
 * in sync mode, and in respond mode within the provider's respond timeout. In async mode the
 * sender already has its answer and nothing is sent. Only the first call counts: it returns `true`, later calls return `false` and change nothing.
 * Throws a TypeError for a status that is not an integer from 100 to 599, a bad header or a
 * body over 1 MB. Without a call, the sender gets the server's default response. Function
 * scripts only.
 * @example
 * respond({ status: 202, body: { accepted: true } });
 */
declare function respond(response?: HooklineResponse): boolean;

/** Outbound HTTP. Function scripts only. */
declare const http: HooklineHttp;

/**
 * Starts automations linked to this function. Function scripts only.
 * @example
 * const runId = await automations.trigger("deploy", { env: "prod" });
 */
declare const automations: HooklineAutomations;

/** The parsed JSON body (the payload), or `null` when the body is not JSON. Conditions only. */
declare const payload: any;

/** The HTTP method in upper case, e.g. `"POST"`. Conditions only. */
declare const method: string;

/** Request headers with lower-case names. Conditions only. */
declare const headers: Record<string, string>;

/** Query string parameters; repeated ones are arrays. Conditions only. */
declare const query: Record<string, string | string[]>;

/** The request body as UTF-8 text. Conditions only. */
declare const body: string;
