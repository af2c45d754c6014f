import { GIT_PROVIDER_KINDS } from '../../../../libs/engine/src/scm-hosts';
import { CreateGitProviderInput, UpdateGitProviderInput } from '../git-providers/git-provider-input';
import { authErrors, error, idParam, invalid, json, notFound, ref, requestSchema } from './openapi-parts';

const tags = ['Git providers'];
const nullableString = (description: string) => ({ type: ['string', 'null'], description });

/** Git providers, for the OpenAPI document; request bodies come from the validators. */
export const GIT_PROVIDER_SCHEMAS = {
  GitProvider: {
    type: 'object',
    properties: {
      id: { type: 'string', format: 'uuid' },
      name: { type: 'string', description: 'Unique; automations name it as scmPoll.providerName' },
      kind: { type: 'string', enum: [...GIT_PROVIDER_KINDS] },
      baseUrl: nullableString('github: the API base (https://api.github.com by default, https://<host>/api/v3 for GitHub Enterprise Server); azure-devops: the organisation URL; git: null'),
      remoteUrl: nullableString('git: the remote (https, http, git, ssh, file or user@host:path); others: null'),
      username: nullableString('git: the user name sent with the token over http(s) (git when none is set)'),
      tokenConfigured: { type: 'boolean', description: 'Whether a token is set; the token is never returned' },
      createdAt: { type: 'string', format: 'date-time' },
      updatedAt: { type: 'string', format: 'date-time' },
    },
  },
  GitProviderInput: {
    ...requestSchema(CreateGitProviderInput),
    description: 'token is write-only and sealed at rest. baseUrl is required for azure-devops; remoteUrl for git.',
  },
  GitProviderUpdate: {
    ...requestSchema(UpdateGitProviderInput),
    description: 'Only the fields given change; token: null removes the token, leaving it out keeps it. A change of kind drops the old kind\'s settings.',
  },
  GitProviderCheck: {
    oneOf: [
      { type: 'object', required: ['ok', 'identity'], properties: { ok: { const: true }, identity: { type: 'string', description: 'The login, the user, or the remote reached' } } },
      {
        type: 'object',
        required: ['ok', 'kind', 'message'],
        properties: {
          ok: { const: false },
          kind: { type: 'string', enum: ['auth', 'not_found', 'rate_limited', 'unavailable', 'invalid'] },
          message: { type: 'string', description: 'What the host said, never with the token' },
        },
      },
    ],
  },
};

export const GIT_PROVIDER_PATHS = {
  '/api/git-providers': {
    get: { tags, summary: 'List Git providers (never their tokens)', responses: { 200: { description: 'OK', ...json({ type: 'array', items: ref('GitProvider') }) }, ...authErrors } },
    post: {
      tags,
      summary: 'Add a Git provider: a GitHub or Azure DevOps account, or any git remote, for SCM polling',
      requestBody: { required: true, ...json(ref('GitProviderInput')) },
      responses: { 201: { description: 'Created', ...json(ref('GitProvider')) }, ...invalid, ...authErrors, 409: error('The name is taken') },
    },
  },
  '/api/git-providers/{id}': {
    parameters: [idParam],
    get: { tags, summary: 'Get one', responses: { 200: { description: 'OK', ...json(ref('GitProvider')) }, ...authErrors, ...notFound } },
    put: {
      tags,
      summary: 'Change the fields given (others stay as they are)',
      requestBody: { required: true, ...json(ref('GitProviderUpdate')) },
      responses: { 200: { description: 'OK', ...json(ref('GitProvider')) }, ...invalid, ...authErrors, ...notFound, 409: error('The name is taken') },
    },
    delete: { tags, summary: 'Delete', responses: { 204: { description: 'Deleted' }, ...authErrors, ...notFound } },
  },
  '/api/git-providers/{id}/check': {
    parameters: [idParam],
    post: {
      tags,
      summary: 'Ask the host whether the credentials work, and for whom (GitHub: GET /user; Azure DevOps: connectionData; git: ls-remote)',
      responses: { 200: { description: 'The check ran: ok with the identity, or the kind of failure and what the host said', ...json(ref('GitProviderCheck')) }, ...authErrors, ...notFound },
    },
  },
};
