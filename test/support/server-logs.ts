import { SECRET_HEADERS } from '../../apps/server/src/logging/redaction';

const SECRET_HEADER_NAMES = new Set<string>(SECRET_HEADERS);
// Shorter values (a test's "x-gitlab-token: t") could turn up in a log line by chance.
const MIN_SECRET_LENGTH = 8;

/**
 * The server's output as a person reads it, whatever HOOKLINE_LOG_FORMAT was: a JSON record
 * becomes `LEVEL: [context] msg` (a start-up line without a context, just its text), as the
 * pretty format prints it minus the time. Other lines are kept as they are.
 */
export function readableLogs(output: string): string {
  return output
    .split('\n')
    .map((line) => {
      const record = parseRecord(line);
      if (!record) return line;
      const level = String(record.level).toUpperCase();
      if (record.context === undefined) return record.level === 'info' ? record.msg : `${level}: ${record.msg}`;
      return `${level}: [${String(record.context)}] ${record.msg}`;
    })
    .join('\n');
}

function parseRecord(line: string): { level: unknown; msg: string; context?: unknown } | null {
  if (!line.startsWith('{')) return null;
  try {
    const record = JSON.parse(line) as Record<string, unknown>;
    return typeof record.msg === 'string' ? (record as { level: unknown; msg: string; context?: unknown }) : null;
  } catch {
    return null;
  }
}

/**
 * The credentials a test sent to a server or got from it (credential and signature headers,
 * session tokens and cookies), so that its output can be searched for them when it stops: no log
 * line may hold one, whatever the test did.
 */
export class SentSecrets {
  private readonly values = new Set<string>();

  /** Records the secret headers among `headers`: the whole value, and the credential after an auth scheme. */
  headers(headers: Record<string, string>): void {
    for (const [name, value] of Object.entries(headers)) {
      if (!SECRET_HEADER_NAMES.has(name.toLowerCase())) continue;
      this.add(value);
      const credential = /^(?:Bearer|Basic|Token)\s+(\S+)$/i.exec(value)?.[1];
      if (credential) this.add(credential);
      // Signature headers list several parts (t=...,v1=...): each signature on its own.
      for (const part of value.split(/[,; ]/)) {
        const signature = part.replace(/^[a-z0-9]+=/i, '');
        if (signature.length >= 16) this.add(signature);
      }
    }
  }

  add(value: string | undefined): void {
    if (value !== undefined && value.length >= MIN_SECRET_LENGTH) this.values.add(value);
  }

  /** The lines of `output` that hold one of the recorded values, each with the value it holds. */
  leaks(output: string): string[] {
    const found: string[] = [];
    for (const line of output.split('\n')) {
      for (const value of this.values) {
        if (line.includes(value)) found.push(`${value.slice(0, 4)}… in: ${line.slice(0, 300)}`);
      }
    }
    return found;
  }
}
