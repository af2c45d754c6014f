import { ScmHostError } from '../../../../libs/engine/src/scm-hosts';

const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** A full commit SHA (SHA-1 or SHA-256), lower-case; anything else is refused before it reaches a host. */
export function requireSha(sha: string, what: string): string {
  if (typeof sha !== 'string' || !SHA.test(sha)) {
    throw new ScmHostError('invalid', `${what} "${String(sha).slice(0, 80)}" is not a full commit SHA (40 or 64 hex digits)`);
  }
  return sha;
}

/**
 * A branch name as git allows it (git check-ref-format, roughly): no leading "-", no "..",
 * no control characters, spaces or ~^:?*[\, no empty or dot-led segment, not ending in ".lock".
 */
export function requireBranch(branch: string): string {
  const bad =
    typeof branch !== 'string' ||
    branch.length === 0 ||
    branch.length > 250 ||
    branch.startsWith('-') ||
    branch.includes('..') ||
    branch.includes('@{') ||
    /[\p{Cc} ~^:?*[\\]/u.test(branch) ||
    branch.split('/').some((part) => part === '' || part.startsWith('.') || part.endsWith('.lock')) ||
    branch.endsWith('.');
  if (bad) throw new ScmHostError('invalid', `"${String(branch).slice(0, 80)}" is not a valid branch name`);
  return branch;
}

/** A path whose segments are each percent-encoded: a branch's "/" stays a separator, as hosts expect. */
export function encodeSegments(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/** An API base URL with one trailing slash, so relative paths resolve under it; http(s) only. */
export function apiBase(baseUrl: string, hostName: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(`${baseUrl.trim().replace(/\/+$/, '')}/`);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password || url.search || url.hash) {
    throw new ScmHostError('invalid', `The ${hostName} base URL "${baseUrl.slice(0, 200)}" is not an http(s) URL without credentials or query`);
  }
  return url;
}
