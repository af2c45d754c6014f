import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

/** Scalar's browser bundle, from node_modules: the server serves it itself, so the page needs no other host. */
const SCALAR_BUNDLE = require.resolve('@scalar/api-reference/browser/standalone.js');
export const REFERENCE_SCRIPT_PATH = '/api/reference/standalone.js';
const DOCUMENT_PATH = '/api/docs';

/**
 * The page's own policy, replacing the admin API's `default-src 'none'`, which would run nothing.
 * Scalar runs from one same-origin file and fetches only /api/docs (and, from its test-request
 * panel, this server's own routes). It injects its CSS as <style> elements and sets style
 * attributes, so inline styles are allowed, as in the console; inline scripts are not (the
 * configuration is a data attribute, not code). Nothing may load from another host.
 */
export const REFERENCE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Scalar's settings. Its defaults reach its own servers: fonts from its font host, an AI chat
 * and developer toolbar backed by its services. Off here: the page uses the system fonts and
 * talks only to this server.
 */
const SCALAR_CONFIGURATION = {
  withDefaultFonts: false,
  telemetry: false,
  agent: { disabled: true },
  showDeveloperTools: 'never',
  showToolbar: 'never',
  documentDownloadType: 'json',
  hideDarkModeToggle: false,
};

export interface ReferenceScript {
  /** The bundle as is, and gzipped once for clients that accept it (it is several megabytes). */
  plain: Buffer;
  gzipped: Buffer;
  /** A hash of the content: the page names the file with it, so a browser may cache it for good. */
  version: string;
}

/** The API reference page (`GET /api/reference`) and the one script it loads. */
@Injectable()
export class ReferencePage {
  private script?: Promise<ReferenceScript>;

  /** Read and compressed on first use, not at start: most servers never serve it. */
  loadScript(): Promise<ReferenceScript> {
    this.script ??= readScript().catch((err: unknown) => {
      this.script = undefined;
      throw err;
    });
    return this.script;
  }

  async html(): Promise<string> {
    const { version } = await this.loadScript();
    return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>API reference · Hookline</title>
<link rel="icon" type="image/svg+xml" href="/favicon.svg">
</head>
<body>
<noscript>The API reference needs JavaScript. The OpenAPI document itself is at ${DOCUMENT_PATH}.</noscript>
<script id="api-reference" data-url="${DOCUMENT_PATH}" data-configuration="${escapeAttribute(JSON.stringify(SCALAR_CONFIGURATION))}"></script>
<script src="${REFERENCE_SCRIPT_PATH}?v=${version}"></script>
</body>
</html>
`;
  }
}

async function readScript(): Promise<ReferenceScript> {
  const plain = await readFile(SCALAR_BUNDLE);
  return { plain, gzipped: await promisify(gzip)(plain), version: createHash('sha256').update(plain).digest('hex').slice(0, 16) };
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
