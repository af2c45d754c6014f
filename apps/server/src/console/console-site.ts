import { Injectable } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';

/** The built console: `npm run build` writes it here (compiled code runs from dist/apps/server/src/console). */
export const CONSOLE_DIR = join(__dirname, '..', '..', '..', '..', 'console', 'browser');

// Angular names every built file `<name>-<8 character hash>.<ext>`: its content never changes.
const HASHED = /-[A-Z0-9]{8}\.[a-z0-9]+(\.br|\.gz)?$/;
const IMMUTABLE = 'public, max-age=31536000, immutable';

// Paths with answers of their own: never the console page.
const NOT_PAGES = /^\/(api|webhooks|health|ready)(\/|$)/;

const NOT_BUILT_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Hookline</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem">
<h1>Hookline</h1>
<p>The server is running, but the console has not been built. Build it with <code>npm run build</code>
(<code>npm start</code> builds it too) and start the server again.</p>
<p>The admin API works without it: <code>/api</code>, documented at <code>/api/docs</code>.</p>
</body></html>
`;

/**
 * The console's files and pages: its hashed assets are cached for good, the page itself is
 * revalidated on every load, and any page address the server has no route for (a deep link
 * such as /providers/42) gets the page, whose router shows the right screen.
 */
@Injectable()
export class ConsoleSite {
  readonly dir = CONSOLE_DIR;

  isBuilt(): boolean {
    return existsSync(join(this.dir, 'index.html'));
  }

  /** Cache headers for a file @fastify/static is about to send (possibly its .br or .gz copy). */
  setAssetHeaders(reply: Pick<FastifyReply, 'header'>, path: string): void {
    void reply.header('cache-control', HASHED.test(basename(path)) ? IMMUTABLE : 'no-cache');
  }

  /** Whether a request no route answered is a console page: a GET of a path with no file extension outside /api, /webhooks, /health and /ready. */
  isPageRequest(method: string, url: string): boolean {
    if (method !== 'GET' && method !== 'HEAD') return false;
    const path = url.split('?')[0];
    return !NOT_PAGES.test(path) && !path.slice(path.lastIndexOf('/') + 1).includes('.');
  }

  /** Never rejects: a page that cannot be read (a rebuild under way) is answered as not built. */
  async sendPage(reply: FastifyReply): Promise<void> {
    void reply.header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-cache');
    let page: Buffer;
    try {
      page = await readFile(join(this.dir, 'index.html'));
    } catch {
      await reply.status(503).send(NOT_BUILT_PAGE);
      return;
    }
    await reply.status(200).send(page);
  }
}
