import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EventFormat } from './events/event-types';
import { findScriptsFolder } from './scripts-folder';

/** A provider Hookline ships: seeded at first start, and what "reset to built-in" restores. */
export interface BuiltinProvider {
  /** Stable identifier; the match script is `scripts/builtin/<key>.js`. */
  key: string;
  name: string;
  description: string;
  /** Lower runs first; the first provider whose script says yes owns the request. */
  priority: number;
  /** The signature scheme that verifies its requests. */
  scheme: string;
  eventFormat: EventFormat;
  /** Scheme options; empty means the scheme's defaults. */
  verificationOptions: Record<string, unknown>;
}

/** In priority order. The gaps leave room for admins' own providers in between. */
export const BUILTIN_PROVIDERS: readonly BuiltinProvider[] = [
  {
    key: 'github',
    name: 'GitHub',
    description: 'GitHub repository, organization and app webhooks, signed with X-Hub-Signature-256.',
    priority: 10,
    scheme: 'github',
    eventFormat: 'github',
    verificationOptions: {},
  },
  {
    key: 'gitlab',
    name: 'GitLab',
    description: 'GitLab project, group and system hooks, authenticated by the X-Gitlab-Token secret token.',
    priority: 20,
    scheme: 'gitlab-token',
    eventFormat: 'gitlab',
    verificationOptions: {},
  },
  {
    key: 'bitbucket',
    name: 'Bitbucket',
    description: 'Bitbucket Cloud and Data Center webhooks, signed with X-Hub-Signature (sha256) when a secret is set.',
    priority: 30,
    scheme: 'bitbucket',
    eventFormat: 'bitbucket',
    verificationOptions: {},
  },
  {
    key: 'azure-devops',
    name: 'Azure DevOps',
    description: 'Azure DevOps service hooks (Web Hooks consumer), recognised by their JSON envelope; optional basic authentication.',
    priority: 40,
    scheme: 'azure-devops',
    eventFormat: 'azure-devops',
    verificationOptions: {},
  },
  {
    key: 'jira',
    name: 'Jira',
    description: 'Jira admin webhooks; with a secret, Jira signs like Bitbucket (X-Hub-Signature, sha256).',
    priority: 50,
    scheme: 'bitbucket',
    eventFormat: 'jira',
    verificationOptions: {},
  },
  {
    key: 'slack',
    name: 'Slack',
    description: 'Slack Events API, slash commands and interactivity, signed with X-Slack-Signature.',
    priority: 60,
    scheme: 'slack',
    eventFormat: 'slack',
    verificationOptions: {},
  },
  {
    key: 'stripe',
    name: 'Stripe',
    description: 'Stripe events, signed with Stripe-Signature.',
    priority: 70,
    scheme: 'stripe',
    eventFormat: 'stripe',
    verificationOptions: {},
  },
  {
    key: 'svix',
    name: 'Svix',
    description: 'Svix and other Standard Webhooks senders (svix-* or webhook-* headers).',
    priority: 80,
    scheme: 'svix',
    eventFormat: 'standard-webhooks',
    verificationOptions: {},
  },
  {
    key: 'generic-hmac',
    name: 'Generic HMAC',
    description: 'Any sender that signs the body with HMAC-SHA256 in X-Signature-256, X-Signature, X-Webhook-Signature or ?signature=.',
    priority: 90,
    scheme: 'generic-hmac',
    eventFormat: 'generic',
    verificationOptions: {},
  },
  {
    key: 'generic',
    name: 'Generic',
    description: 'Catch-all for requests no other provider claims; nothing is verified.',
    priority: 1000,
    scheme: 'none',
    eventFormat: 'generic',
    verificationOptions: {},
  },
];

const SCRIPTS_DIR = join('scripts', 'builtin');

/**
 * The shipped match script of a built-in provider, `scripts/builtin/<key>.js`. The folder is
 * found by walking up from this file, so it works from the sources (tests) and from `dist/`.
 */
export function readBuiltinScript(key: string): string {
  // Keys name files: refuse anything that could step out of the folder.
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(key)) throw new Error(`"${key}" is not a built-in provider key`);
  const path = join(scriptsRoot(), `${key}.js`);
  if (!existsSync(path)) throw new Error(`The built-in provider "${key}" has no script: ${path} does not exist`);
  return readFileSync(path, 'utf8');
}

let root: string | undefined;

function scriptsRoot(): string {
  return (root ??= findBuiltinScriptsDir(__dirname));
}

/** The nearest `scripts/builtin` folder at or above `from`. Exported for tests. */
export function findBuiltinScriptsDir(from: string): string {
  return findScriptsFolder(from, SCRIPTS_DIR);
}
