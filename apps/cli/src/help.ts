export const HELP = `hookline: talk to a Hookline server from the command line

Usage: hookline <command> [options]     (hookline help <command> for its options)

  login       log in and keep the token (in $XDG_CONFIG_HOME/hookline, mode 0600)
  logout      end the session and forget the token
  export      the server's providers, functions, automations, endpoints and git providers as YAML
  import      apply a YAML file: --dry-run shows the plan, --prune deletes what it lacks
  send        send a signed test webhook (any scheme) with a sample payload or --body
  messages    list messages, or tail new ones, with filters
  resubmit    resubmit messages by id or filter, with progress
  runs        list automation runs, or retry failed and dead ones
  tasks       list tasks, or resume a parked one

Every command that talks to a server takes --url (else HOOKLINE_URL, else the login's server,
else http://127.0.0.1:8080) and sends HOOKLINE_TOKEN, else the token hookline login kept.
Output is a table on a terminal and JSON otherwise (or with --json).
Documentation: docs/cli.md
`;

const COMMAND_HELP: Record<string, string> = {
  login: `hookline login [--url URL] [--username admin] [--token TOKEN]
  Asks for the password (reads it from stdin when that is not a terminal, or HOOKLINE_PASSWORD),
  logs in and keeps the token. --token keeps a token made elsewhere, once the server accepts it.
`,
  logout: `hookline logout
  Ends the stored session on the server and removes the stored token.
`,
  export: `hookline export [--out FILE | --dir DIR] [--url URL]
  Writes the configuration as one YAML document (stdout, or --out), or as DIR/hookline.yaml with
  each script in DIR/scripts/*.js. Secrets are written as \${env:NAME} references, never values.
`,
  import: `hookline import FILE|DIR [--dry-run] [--prune] [--update-secrets] [--url URL] [--json]
  Plans the changes that make the server match the file (create, update, delete per entity, with
  the fields that change) and applies them. --dry-run only prints the plan. --prune deletes what
  the server has and the file lacks, in the sections the file has. --update-secrets sends secrets
  the server already holds again (otherwise they are sent only when the server has none).
`,
  send: `hookline send SCHEME [SAMPLE] --uri URI [--secret SECRET] [--body FILE] [--header 'Name: value']...
                [--option name=value]... [--sync] [--timestamp UNIX] [--id ID] [--method POST] [--url URL]
hookline send SCHEME --list
  Signs the payload as SCHEME's sender does and sends it to /webhooks/URI. SAMPLE names a sample
  payload (push, pull_request.opened, gitlab/merge-request, ...); --list shows them. --option gives
  the provider's scheme options (custom-hmac's header and format, basic's username). --sync waits
  for the functions. Exits 1 when the server refuses the delivery.
`,
  messages: `hookline messages [list|tail] [--status S] [--provider NAME] [--uri U] [--uri-prefix P] [--event-type T]
                    [--since TIME] [--until TIME] [--q TEXT] [--limit N] [--cursor C] [--url URL] [--json]
  list: newest first, one page (--cursor for the next). tail: each new message and status change, until Ctrl-C.
`,
  resubmit: `hookline resubmit [ID...] [--status S] [--provider NAME] [--uri U] [--since TIME] ... [--limit N] [--dry-run]
  Resubmits the messages named or matching the filters, as a job on the server, and shows its
  progress. --dry-run only counts them.
`,
  runs: `hookline runs [list] [--status S] [--automation NAME] [--since TIME] [--until TIME] [--limit N] [--cursor C]
hookline runs retry [ID...] [--status failed|dead] [--automation NAME] [--dry-run]
  Lists automation runs, newest first; retry puts failed or dead runs back to pending.
`,
  tasks: `hookline tasks [list] [--state parked] [--limit N]
hookline tasks resume ID [--message TEXT]
  Lists tasks in a state (parked by default); resume queues a parked task again, with an optional
  message to its runner's inbox.
`,
};

export function helpFor(command: string): string {
  return COMMAND_HELP[command] ?? HELP;
}
