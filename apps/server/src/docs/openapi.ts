import { AUDIT_ROUTES } from './audit.openapi';
import { AUTH_ROUTES } from './auth.openapi';
import { AUTOMATION_ROUTES } from './automations.openapi';
import type { Routes } from './contract';
import { SchemaWriter, writePaths } from './contract-document';
import { WEBHOOK_ROUTES } from './endpoints.openapi';
import { EVENT_STREAM_ROUTES } from './event-stream.openapi';
import { GIT_PROVIDER_ROUTES } from './git-providers.openapi';
import { MESSAGE_ROUTES } from './messages.openapi';
import { OPERATION_ROUTES } from './operations.openapi';
import { OVERVIEW_ROUTES } from './overview.openapi';
import { PROVIDER_ROUTES } from './providers.openapi';
import { TASK_ROUTES } from './tasks.openapi';
import { USER_ROUTES } from './users.openapi';

/**
 * Every route of the admin API, the ingress and the probes, written as a contract
 * (docs/contract.ts): its parameters and bodies are the schemas the server validates with, its
 * answers the schemas its views are typed from.
 */
export const CONTRACT_ROUTES: Routes = {
  ...AUTH_ROUTES,
  ...USER_ROUTES,
  ...PROVIDER_ROUTES,
  ...MESSAGE_ROUTES,
  ...OVERVIEW_ROUTES,
  ...AUTOMATION_ROUTES,
  ...WEBHOOK_ROUTES,
  ...GIT_PROVIDER_ROUTES,
  ...TASK_ROUTES,
  ...EVENT_STREAM_ROUTES,
  ...AUDIT_ROUTES,
  ...OPERATION_ROUTES,
};

/** What the document says of itself and of the credentials; everything else is generated. */
const HEAD = {
  openapi: '3.1.0',
  info: {
    title: 'Hookline',
    version: '0.1.0',
    description:
      'Receive webhooks at /webhooks/{uri}, match them to providers, run functions. Every /api route but POST /api/auth/login needs `Authorization: Bearer <token>` (a session token from the login, or a personal token `hlp_...` from POST /api/users/me/tokens) or the session cookie, and a role: viewer for reads, editor for changes to providers, functions, automations, endpoints, resubmits and runs, admin for the rest (users, runners, git providers); a lower role is answered 403 naming the role needed (see docs/users.md). A POST, PUT, PATCH or DELETE authenticated by the cookie alone must also send `X-Hookline-Request: 1` (answered 403 without it), which a page on another site cannot add.',
  },
  components: {
    securitySchemes: {
      bearer: { type: 'http', scheme: 'bearer', description: 'A session token from POST /api/auth/login, or a personal token (hlp_...) from POST /api/users/me/tokens: both act with the user\'s current role' },
      cookie: {
        type: 'apiKey',
        in: 'cookie',
        name: 'hookline_session',
        description: 'Set by POST /api/auth/login (HttpOnly, SameSite=Strict). Writes authenticated by it also need the header X-Hookline-Request: 1.',
      },
      runnerToken: { type: 'http', scheme: 'bearer', description: 'A runner token from POST /api/runners (or HOOKLINE_RUNNER_TOKEN)' },
      metricsToken: { type: 'http', scheme: 'bearer', description: 'The value of HOOKLINE_METRICS_TOKEN' },
    },
  },
  security: [{ bearer: [] }, { cookie: [] }],
};

function buildDocument() {
  const writer = new SchemaWriter();
  const paths = writePaths(CONTRACT_ROUTES, writer);
  return { ...HEAD, components: { ...HEAD.components, schemas: writer.components }, paths };
}

/** The admin API and the ingress, described for clients and tools (served at GET /api/docs, readable at /api/reference). */
export const OPENAPI_DOCUMENT = buildDocument();
