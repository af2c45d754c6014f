/**
 * Takes every credential out of a text that is about to leave the host client (an error message,
 * a log line): the secrets themselves, the Basic header made from them, and any user:password@ in a URL.
 */
export function redactSecrets(text: string, secrets: ReadonlyArray<string | null | undefined>): string {
  let result = text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/gi, '$1');
  for (const secret of secrets) {
    if (!secret || secret.length < 4) continue;
    result = result.split(secret).join('[redacted]');
  }
  return result;
}

/** The value of a Basic Authorization header; an empty user name is what Azure DevOps expects for a PAT. */
export function basicAuthorization(username: string, token: string): string {
  return `Basic ${Buffer.from(`${username}:${token}`, 'utf8').toString('base64')}`;
}
