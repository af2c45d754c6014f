// Parsed against a placeholder origin: a value that parses to any other origin names another site.
const HERE = 'http://console.invalid';

/**
 * Where to go after logging in: only a path on this server (a crafted link must not send the
 * user elsewhere), never the login again; anything else is the console's start. The value is
 * parsed as the browser would parse it, so `//host`, `/\host` and tabs or line breaks inside
 * the path cannot slip another host through.
 */
export function safeReturnUrl(value: string | null | undefined): string {
  if (!value?.startsWith('/')) return '/';
  let url: URL;
  try {
    url = new URL(value, HERE);
  } catch {
    return '/';
  }
  if (url.origin !== HERE || url.pathname === '/login' || url.pathname.startsWith('/login/')) return '/';
  return url.pathname + url.search + url.hash;
}

/** Whether a (safe) return path is a page the server renders itself, such as /api/reference, rather than a console screen. */
export function isServerPage(path: string): boolean {
  return path === '/api' || path.startsWith('/api/') || path.startsWith('/api?');
}
