import { CreateTokenInput } from '../auth/personal-tokens.service';
import { ROLES } from '../auth/roles';
import { CreateUserInput, UpdateUserInput } from '../users/users.service';
import { authErrors, error, idParam, invalid, json, notFound, ref, requestSchema } from './openapi-parts';

const tags = ['Users'];
const conflict = (description: string) => ({ 409: error(description) });
const tokenIdParam = { name: 'tokenId', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } };
const time = (description: string) => ({ type: ['string', 'null'], format: 'date-time', description });

/** The 403 a role below a route's answers (docs/users.md has the table of roles). */
export const roleError = (role: string) => ({ 403: { description: `The caller's role is below ${role}`, ...json(ref('RoleError')) } });

/** Users, roles and personal tokens, for the OpenAPI document; request bodies come from the validators. */
export const USER_SCHEMAS = {
  Role: { type: 'string', enum: [...ROLES], description: 'viewer: reads everything but secrets; editor: also changes providers, functions, automations, endpoints, resubmits and runs; admin: also users, runners, git providers' },
  RoleError: {
    allOf: [
      ref('Error'),
      { type: 'object', properties: { requiredRole: ref('Role'), role: { ...ref('Role'), description: 'The caller\'s role' } } },
    ],
  },
  User: {
    type: 'object',
    properties: {
      id: { type: 'string', format: 'uuid' },
      username: { type: 'string' },
      role: ref('Role'),
      createdAt: { type: 'string', format: 'date-time' },
      activeSessions: { type: 'integer', description: 'Logins that have not expired' },
      activeTokens: { type: 'integer', description: 'Personal tokens neither revoked nor expired' },
    },
  },
  UserInput: requestSchema(CreateUserInput),
  UserUpdate: { ...requestSchema(UpdateUserInput), description: 'A new role applies at once to every session and token of the user; a new password ends the user\'s sessions (not the tokens).' },
  PersonalToken: {
    type: 'object',
    properties: {
      id: { type: 'string', format: 'uuid' },
      name: { type: 'string' },
      status: { type: 'string', enum: ['active', 'expired', 'revoked'] },
      createdAt: { type: 'string', format: 'date-time' },
      expiresAt: time('null: never expires'),
      lastUsedAt: time('To the minute'),
      revokedAt: time('When it was revoked'),
    },
  },
  PersonalTokenCreated: {
    allOf: [ref('PersonalToken'), { type: 'object', properties: { token: { type: 'string', description: 'hlp_...: shown only in this answer; only its hash is kept' } } }],
  },
  PersonalTokenInput: { ...requestSchema(CreateTokenInput), description: 'expiresInDays or expiresAt, or neither for a token that does not expire' },
};

const tokenList = { 200: { description: 'Newest first; never the token itself', ...json({ type: 'array', items: ref('PersonalToken') }) } };

export const USER_PATHS = {
  '/api/users': {
    get: { tags, summary: 'Every user with their role (admin)', responses: { 200: { description: 'By name', ...json({ type: 'array', items: ref('User') }) }, ...authErrors, ...roleError('admin') } },
    post: {
      tags,
      summary: 'Create a user with a role and an initial password (admin)',
      requestBody: { required: true, ...json(ref('UserInput')) },
      responses: { 201: { description: 'Created', ...json(ref('User')) }, ...invalid, ...authErrors, ...roleError('admin'), ...conflict('The username is taken') },
    },
  },
  '/api/users/{id}': {
    parameters: [idParam],
    get: { tags, summary: 'One user (admin)', responses: { 200: { description: 'OK', ...json(ref('User')) }, ...authErrors, ...roleError('admin'), ...notFound } },
    put: {
      tags,
      summary: 'Change a user\'s role or reset the password, which ends the user\'s sessions (admin)',
      requestBody: { required: true, ...json(ref('UserUpdate')) },
      responses: { 200: { description: 'OK', ...json(ref('User')) }, ...invalid, ...authErrors, ...roleError('admin'), ...notFound, ...conflict('The user is the last admin') },
    },
    delete: {
      tags,
      summary: 'Delete a user with its sessions and personal tokens (admin)',
      responses: { 204: { description: 'Deleted' }, ...authErrors, ...roleError('admin'), ...notFound, ...conflict('The user is the last admin') },
    },
  },
  '/api/users/{id}/tokens': {
    parameters: [idParam],
    get: { tags, summary: 'A user\'s personal tokens (admin)', responses: { ...tokenList, ...authErrors, ...roleError('admin'), ...notFound } },
  },
  '/api/users/{id}/tokens/{tokenId}': {
    parameters: [idParam, tokenIdParam],
    delete: { tags, summary: 'Revoke a user\'s personal token (admin)', responses: { 204: { description: 'Revoked (again: no change)' }, ...authErrors, ...roleError('admin'), ...notFound } },
  },
  '/api/users/me/tokens': {
    get: { tags, summary: 'Your personal tokens (any role)', responses: { ...tokenList, ...authErrors } },
    post: {
      tags,
      summary: 'Create a personal token for scripts and CI; it acts with your role, as Authorization: Bearer hlp_... (any role)',
      requestBody: { required: true, ...json(ref('PersonalTokenInput')) },
      responses: { 201: { description: 'The token, shown this once', ...json(ref('PersonalTokenCreated')) }, ...invalid, ...authErrors },
    },
  },
  '/api/users/me/tokens/{tokenId}': {
    parameters: [tokenIdParam],
    delete: { tags, summary: 'Revoke one of your personal tokens (any role)', responses: { 204: { description: 'Revoked (again: no change)' }, ...authErrors, ...notFound } },
  },
};
