/** The transports a `git` provider may use; git's own `ext::` and `fd::` run commands and are never allowed. */
export const GIT_REMOTE_PROTOCOLS = ['https', 'http', 'git', 'ssh', 'file'] as const;

const HOST = /^[A-Za-z0-9][A-Za-z0-9.-]*$/;
const SCP_LIKE = /^([A-Za-z0-9._-]+)@([A-Za-z0-9][A-Za-z0-9.-]*):(?!\/\/)(.+)$/;

/**
 * What is wrong with a remote URL for a `git` provider, or undefined when it will do. Refused: an
 * option-looking value, another transport, whitespace, and credentials in the URL (they belong in
 * `username` and `token`, which are kept sealed, not in a URL that is shown and logged).
 */
export function remoteUrlProblem(remote: string): string | undefined {
  const forms = 'https://, http://, git://, ssh:// or file:// URL, or user@host:path';
  if (remote.startsWith('-')) return 'must not start with "-"';
  if (/[\s\p{Cc}]/u.test(remote)) return 'must not contain spaces or control characters';
  const scp = SCP_LIKE.exec(remote);
  if (scp) return scp[3].startsWith('-') ? 'must not have a path that starts with "-"' : undefined;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(remote)?.[1].toLowerCase();
  if (!scheme || !(GIT_REMOTE_PROTOCOLS as readonly string[]).includes(scheme)) return `must be an ${forms}`;
  let url: URL;
  try {
    url = new URL(remote);
  } catch {
    return `is not a valid URL; use an ${forms}`;
  }
  if (url.password || (url.username && scheme !== 'ssh')) return 'must not hold credentials: put the user name in username and the token in token';
  if (scheme === 'file') return url.pathname.length > 1 ? undefined : 'must name a repository path, e.g. file:///srv/git/app.git';
  if (!HOST.test(url.hostname.replace(/^\[|\]$/g, '')) && !/^\[[0-9a-f:.]+\]$/i.test(url.hostname)) return 'must name a host';
  if (url.pathname.length <= 1) return 'must name a repository path after the host';
  return undefined;
}

/** Whether credentials (user name and token) can be sent to this remote: only over HTTP. */
export function isHttpRemote(remote: string): boolean {
  return /^https?:\/\//i.test(remote);
}
