import { authErrors, error, idParam, invalid, json, notFound, ref } from './openapi-parts';
import { SCRIPT_TEST_PATHS, SCRIPT_TEST_SCHEMAS } from './script-tests.openapi';
import { OVERVIEW_ROUTES } from './overview.openapi';
import { MESSAGE_ROUTES } from './messages.openapi';
import { AUTH_ROUTES } from './auth.openapi';
import { OPERATION_ROUTES } from './operations.openapi';
import { TASK_ROUTES } from './tasks.openapi';
import { GIT_PROVIDER_ROUTES } from './git-providers.openapi';
import { AUTOMATION_ROUTES } from './automations.openapi';
import { WEBHOOK_ROUTES } from './endpoints.openapi';
import { DESCRIPTOR_PATHS, DESCRIPTOR_SCHEMAS } from './descriptor.openapi';
import { EVENT_STREAM_ROUTES } from './event-stream.openapi';
import { AUDIT_ROUTES } from './audit.openapi';
import { USER_ROUTES } from './users.openapi';
import { SchemaWriter, writePaths } from './contract-document';
import type { Routes } from './contract';
import { EVENT_FORMATS } from '../../../../libs/providers/src';
/** The admin API and the ingress, described for clients and tools (served at GET /api/docs). */

function crud(tag: string, schema: string, input: string) {
  return {
    collection: {
      get: { tags: [tag], summary: `List ${tag.toLowerCase()}`, responses: { 200: { description: 'OK', ...json({ type: 'array', items: ref(schema) }) }, ...authErrors } },
      post: {
        tags: [tag],
        summary: `Create`,
        requestBody: { required: true, ...json(ref(input)) },
        responses: { 201: { description: 'Created', ...json(ref(schema)) }, ...invalid, ...authErrors },
      },
    },
    item: {
      parameters: [idParam],
      get: { tags: [tag], summary: 'Get one', responses: { 200: { description: 'OK', ...json(ref(schema)) }, ...authErrors, ...notFound } },
      put: {
        tags: [tag],
        summary: 'Change the fields given (others stay as they are)',
        requestBody: { required: true, ...json(ref(input)) },
        responses: { 200: { description: 'OK', ...json(ref(schema)) }, ...invalid, ...authErrors, ...notFound },
      },
      delete: { tags: [tag], summary: 'Delete', responses: { 204: { description: 'Deleted' }, ...authErrors, ...notFound } },
    },
  };
}

const versionParam = { name: 'version', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } };
const commentBody = { required: false, ...json({ type: 'object', properties: { comment: ref('VersionComment') } }) };

/** The three routes of a versioned thing: its versions (a page), one version, and restoring one. */
function versionRoutes(tag: string, what: string, parameters: object[], restored: object) {
  return {
    list: {
      parameters,
      get: {
        tags: [tag],
        summary: `The versions of ${what}, newest first, without their content`,
        parameters: [
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } },
          { name: 'cursor', in: 'query', schema: { type: 'string' }, description: 'nextCursor of the page before' },
        ],
        responses: { 200: { description: 'A page', ...json(ref('VersionPage')) }, ...invalid, ...authErrors, ...notFound },
      },
    },
    one: {
      parameters: [...parameters, versionParam],
      get: { tags: [tag], summary: `One version of ${what} with its full content`, responses: { 200: { description: 'OK', ...json(ref('Version')) }, ...invalid, ...authErrors, ...notFound } },
    },
    restore: {
      parameters: [...parameters, versionParam],
      post: {
        tags: [tag],
        summary: `Save this version's content again, checked like an ordinary save, as a new version (comment "restored from v<n>" unless one is given)`,
        requestBody: commentBody,
        responses: { 200: { description: 'Restored', ...json(restored) }, ...invalid, ...authErrors, ...notFound },
      },
    },
  };
}

/** A provider's answer settings, the same in the view and the input. */
const providerAnswerFields = {
  answerMode: ref('AnswerMode'),
  respondTimeoutMs: {
    type: 'integer',
    minimum: 1,
    default: 3000,
    description: "In respond mode: how long the sender waits for the first respond() before it gets a 202; at most the server's sync timeout (HOOKLINE_SYNC_TIMEOUT)",
  },
  fixedAnswer: { oneOf: [ref('FixedAnswer'), { type: 'null' }], description: 'Sent in place of the 202 in async mode; null for the usual answer' },
};
const functionAnswerMode = { oneOf: [ref('AnswerMode'), { type: 'null' }], description: "Overrides the provider's answer mode; null takes the provider's" };

const providers = crud('Providers', 'Provider', 'ProviderInput');
const functions = crud('Functions', 'Function', 'FunctionInput');
const providerVersions = versionRoutes('Providers', 'a provider (match script, scheme, options, event format)', [idParam], ref('Provider'));
const functionVersions = versionRoutes('Functions', 'a function (script, condition, timeout)', [idParam], ref('Function'));
const orderVersions = versionRoutes('Providers', 'the provider order', [], { type: 'array', items: ref('Provider') });


const HAND_WRITTEN = {
  openapi: '3.1.0',
  info: {
    title: 'Hookline',
    version: '0.1.0',
    description:
      'Receive webhooks at /webhooks/<uri>, match them to providers, run functions. Every /api route but POST /api/auth/login needs `Authorization: Bearer <token>` (a session token from the login, or a personal token `hlp_...` from POST /api/users/me/tokens) or the session cookie, and a role: viewer for reads, editor for changes to providers, functions, automations, endpoints, resubmits and runs, admin for the rest (users, runners, git providers); a lower role is answered 403 naming the role needed (see docs/users.md). A POST, PUT, PATCH or DELETE authenticated by the cookie alone must also send `X-Hookline-Request: 1` (answered 403 without it), which a page on another site cannot add.',
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
    schemas: {
      Verification: {
        type: 'object',
        properties: {
          scheme: { type: 'string', example: 'none' },
          secretConfigured: { type: 'boolean', readOnly: true },
          previousSecretConfigured: { type: 'boolean', readOnly: true },
          secret: { type: ['string', 'null'], writeOnly: true, description: 'Write-only; null removes it' },
          previousSecret: { type: ['string', 'null'], writeOnly: true },
          previousSecretExpiresAt: { type: ['string', 'null'], format: 'date-time' },
          options: { type: 'object' },
        },
      },
      Provider: {
        type: 'object',
        properties: {
          id: { type: 'string', format: 'uuid' },
          name: { type: 'string' },
          description: { type: 'string' },
          priority: { type: 'integer', description: 'Lower runs first' },
          enabled: { type: 'boolean' },
          matchScript: { type: 'string', description: 'A function body with `request` and `provider` in scope; truthy claims the message' },
          verification: ref('Verification'),
          properties: { type: 'object', additionalProperties: { type: 'string' }, description: 'Plain text, shown to every reader' },
          secretProperties: { type: 'array', items: { type: 'string' }, readOnly: true, description: 'The names of the secret properties that are set; values are never returned' },
          eventFormat: ref('EventFormat'),
          descriptor: { oneOf: [ref('WebhookDescriptor'), { type: 'null' }], description: 'What the provider was made from; null when written by hand' },
          descriptorEdited: {
            type: 'boolean',
            readOnly: true,
            description: 'The match script, verification or event format differ from what the descriptor generates: edited since, or sent beside it',
          },
          ...providerAnswerFields,
          builtin: { type: ['string', 'null'], readOnly: true, description: 'The built-in this provider was seeded from' },
          createdAt: { type: 'string', format: 'date-time' },
          updatedAt: { type: 'string', format: 'date-time' },
        },
      },
      ProviderInput: {
        type: 'object',
        required: ['name'],
        description: 'A create needs matchScript or descriptor. With a descriptor, matchScript, verification.scheme, verification.options and eventFormat default to what it generates; each one sent wins',
        properties: {
          name: { type: 'string' },
          description: { type: 'string' },
          priority: { type: 'integer' },
          enabled: { type: 'boolean' },
          matchScript: { type: 'string' },
          verification: ref('Verification'),
          properties: { type: 'object', additionalProperties: { type: 'string' } },
          secretProperties: {
            type: 'object',
            additionalProperties: { type: ['string', 'null'], minLength: 1 },
            writeOnly: true,
            description: 'Name → value, encrypted at rest, readable by scripts only as provider.secrets.<name>. On PUT, names listed are set (null removes one) and others stay',
          },
          eventFormat: ref('EventFormat'),
          descriptor: {
            oneOf: [ref('WebhookDescriptor'), { type: 'null' }],
            description: 'Generates the match script, verification and event format; sent again on PUT it regenerates them. null (PUT) forgets it and keeps the settings',
          },
          ...providerAnswerFields,
        },
      },
      AnswerMode: {
        type: 'string',
        enum: ['async', 'respond', 'sync'],
        description:
          'How a webhook is answered: async, 202 at once; respond, the first respond() of a function run from the queue, or 202 after respondTimeoutMs; sync, after the functions ran. ' +
          'The header or query flex-sync-webhook=true forces sync. A function may override its provider; the strongest mode of the functions on the uri wins (sync over respond over async)',
      },
      FixedAnswer: {
        type: 'object',
        required: ['status'],
        properties: {
          status: { type: 'integer', minimum: 200, maximum: 299 },
          headers: { type: 'object', additionalProperties: { type: 'string' }, description: 'Header names are stored lower-case' },
          body: { type: 'string', maxLength: 100000, default: '' },
        },
      },
      VersionComment: { type: 'string', maxLength: 500, description: 'Kept with the version the request makes; blank means none' },
      VersionSummary: {
        type: 'object',
        properties: {
          version: { type: 'integer', minimum: 1, description: '1, 2, 3… per provider or function, and for the provider order' },
          comment: { type: ['string', 'null'] },
          createdBy: { type: ['string', 'null'], description: 'The user who saved it; null when the server did (built-in seeding, upgrade, the order before its first change)' },
          createdAt: { type: 'string', format: 'date-time' },
        },
      },
      Version: {
        allOf: [
          ref('VersionSummary'),
          {
            type: 'object',
            properties: {
              content: {
                type: 'object',
                description:
                  'Provider: {matchScript, verification: {scheme, options}, eventFormat} and, when it has one, descriptor. Function: {script, condition, timeoutMs}. ' +
                  'Provider order: {providers: [{id, name}]}, first runs first. Never holds secrets.',
              },
            },
          },
        ],
      },
      VersionPage: { type: 'object', properties: { items: { type: 'array', items: ref('VersionSummary') }, nextCursor: { type: ['string', 'null'] } } },
      EventFormat: {
        type: 'string',
        enum: [...EVENT_FORMATS],
        description: "How the provider names events and reads delivery ids; descriptor reads them where the provider's descriptor says",
      },
      Function: {
        type: 'object',
        properties: {
          id: { type: 'string', format: 'uuid' },
          name: { type: 'string' },
          providerId: { type: 'string', format: 'uuid' },
          uri: { type: 'string', example: 'git/push' },
          enabled: { type: 'boolean' },
          script: { type: 'string', description: 'An async function body; see script-api.d.ts' },
          condition: { type: ['string', 'null'], example: 'eventType == "push" && payload.ref == "refs/heads/main"' },
          timeoutMs: { type: 'integer', default: 5000 },
          retry: ref('RetryPolicy'),
          answerMode: functionAnswerMode,
          automationIds: { type: 'array', items: { type: 'string', format: 'uuid' }, description: 'Automations the function may start: all of them when its script is empty, else those its script starts with automations.trigger()' },
          createdAt: { type: 'string', format: 'date-time' },
          updatedAt: { type: 'string', format: 'date-time' },
        },
      },
      FunctionInput: {
        type: 'object',
        required: ['name', 'providerId', 'uri'],
        properties: {
          name: { type: 'string' },
          providerId: { type: 'string', format: 'uuid' },
          uri: { type: 'string' },
          enabled: { type: 'boolean' },
          script: { type: 'string' },
          condition: { type: ['string', 'null'] },
          timeoutMs: { type: 'integer', minimum: 1, maximum: 300000 },
          retry: ref('RetryPolicy'),
          answerMode: functionAnswerMode,
          automationIds: { type: 'array', items: { type: 'string', format: 'uuid' }, maxItems: 100, description: 'Automations the function may start: all of them when its script is empty, else those its script starts with automations.trigger()' },
          comment: ref('VersionComment'),
        },
      },
      RetryPolicy: {
        type: 'object',
        description:
          'Retries after a failure, kept in the database (next_attempt_at). The wait before retry n (0 first) is drawn between delayMs and min(maxDelayMs, delayMs × 3^(n+1)). ' +
          'Fields left out take the defaults: attempts 0 for functions, 5 for http automations (or their older retries field), 0 for command and task automations; ' +
          'delayMs HOOKLINE_RETRY_DELAY (1 s); maxDelayMs HOOKLINE_RETRY_MAX_DELAY (1 h).',
        properties: {
          attempts: { type: 'integer', minimum: 0, maximum: 20, description: 'Further attempts after the first one fails' },
          delayMs: { type: 'integer', minimum: 0, maximum: 86400000 },
          maxDelayMs: { type: 'integer', minimum: 0, maximum: 86400000 },
        },
      },
      ...SCRIPT_TEST_SCHEMAS,
      ...DESCRIPTOR_SCHEMAS,
    },
  },
  security: [{ bearer: [] }, { cookie: [] }],
  paths: {
    '/api/providers': providers.collection,
    ...DESCRIPTOR_PATHS,
    '/api/providers/order': {
      put: {
        tags: ['Providers'],
        summary: 'Set the priority order: list every provider id once, first runs first. Makes a version of the order',
        requestBody: {
          required: true,
          ...json({ type: 'object', required: ['ids'], properties: { ids: { type: 'array', items: { type: 'string', format: 'uuid' } }, comment: ref('VersionComment') } }),
        },
        responses: { 200: { description: 'The providers in their new order', ...json({ type: 'array', items: ref('Provider') }) }, ...invalid, ...authErrors },
      },
    },
    '/api/providers/order/versions': orderVersions.list,
    '/api/providers/order/versions/{version}': orderVersions.one,
    '/api/providers/order/versions/{version}/restore': {
      ...orderVersions.restore,
      post: {
        ...orderVersions.restore.post,
        responses: {
          ...orderVersions.restore.post.responses,
          400: error('Not a version number, or the version names a provider deleted since or leaves out one created since'),
        },
      },
    },
    '/api/providers/{id}': providers.item,
    '/api/providers/{id}/versions': providerVersions.list,
    '/api/providers/{id}/versions/{version}': providerVersions.one,
    '/api/providers/{id}/versions/{version}/restore': providerVersions.restore,
    '/api/providers/{id}/reset': {
      parameters: [idParam],
      post: {
        tags: ['Providers'],
        summary: 'Restore a built-in provider to its shipped script, scheme, options and event format (priority, enabled, secrets and properties stay), as a new version',
        requestBody: commentBody,
        responses: { 200: { description: 'OK', ...json(ref('Provider')) }, 409: error('Not a built-in provider'), ...authErrors, ...notFound },
      },
    },
    '/api/schemes': {
      get: {
        tags: ['Providers'],
        summary: 'The verification schemes (name, description, needsSecret, options) and event formats a provider can use',
        responses: { 200: { description: 'OK' }, ...authErrors },
      },
    },
    '/api/functions': {
      ...functions.collection,
      get: { ...functions.collection.get, parameters: [{ name: 'providerId', in: 'query', schema: { type: 'string' } }, { name: 'uri', in: 'query', schema: { type: 'string' } }] },
    },
    '/api/functions/{id}': functions.item,
    '/api/functions/{id}/versions': functionVersions.list,
    '/api/functions/{id}/versions/{version}': functionVersions.one,
    '/api/functions/{id}/versions/{version}/restore': functionVersions.restore,
    ...SCRIPT_TEST_PATHS,
    '/api/reference': {
      get: {
        tags: ['Docs'],
        summary: 'This document as a page to read in a browser. A browser without a session is sent (303) to the console login, which comes back here',
        responses: { 200: { description: 'The page', content: { 'text/html': { schema: { type: 'string' } } } }, 303: { description: 'To /login?returnUrl=/api/reference (a browser asking for text/html, with no Authorization header and no valid session cookie)' }, ...authErrors },
      },
    },
    '/api/reference/standalone.js': { get: { tags: ['Docs'], summary: "The reference page's script (Scalar)", responses: { 200: { description: 'JavaScript', content: { 'text/javascript': { schema: { type: 'string' } } } }, ...authErrors } } },
  },
};

/** Every route written as a contract (docs/contract.ts): its schemas are the server's own. */
export const CONTRACT_ROUTES: Routes = { ...USER_ROUTES, ...GIT_PROVIDER_ROUTES, ...AUTOMATION_ROUTES, ...WEBHOOK_ROUTES, ...TASK_ROUTES, ...EVENT_STREAM_ROUTES, ...AUDIT_ROUTES, ...MESSAGE_ROUTES, ...OVERVIEW_ROUTES, ...AUTH_ROUTES, ...OPERATION_ROUTES };

function buildDocument() {
  const writer = new SchemaWriter();
  const paths = writePaths(CONTRACT_ROUTES, writer);
  const handWritten = HAND_WRITTEN.components.schemas as Record<string, unknown>;
  for (const name of Object.keys(writer.components)) {
    if (name in handWritten) throw new Error(`The schema ${name} is both written by hand and generated; keep one`);
  }
  for (const path of Object.keys(paths)) {
    if (path in HAND_WRITTEN.paths) throw new Error(`The path ${path} is both written by hand and generated; keep one`);
  }
  return {
    ...HAND_WRITTEN,
    components: { ...HAND_WRITTEN.components, schemas: { ...handWritten, ...writer.components } },
    paths: { ...HAND_WRITTEN.paths, ...paths } as Record<string, Record<string, unknown>>,
  };
}

/** The admin API and the ingress, described for clients and tools (served at GET /api/docs). */
export const OPENAPI_DOCUMENT = buildDocument();
