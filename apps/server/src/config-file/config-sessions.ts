/**
 * The sessions through which this process applies HOOKLINE_CONFIG at start, each with its file.
 * They live only as long as applying takes, in this process: the audit log names the file, and
 * `system`, for the changes they make, rather than the admin whose rights they borrow.
 */
const applying = new Map<string, string>();

export function beginConfigSession(sessionToken: string, file: string): void {
  applying.set(sessionToken, file);
}

export function endConfigSession(sessionToken: string): void {
  applying.delete(sessionToken);
}

/** The file a session applies, when it is one of these. */
export function configFileOf(sessionToken: string | undefined): string | undefined {
  return sessionToken === undefined ? undefined : applying.get(sessionToken);
}
