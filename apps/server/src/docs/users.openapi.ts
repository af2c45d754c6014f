import { z } from 'zod';
import { CreateTokenInput } from '../auth/personal-tokens.service';
import { CreateUserInput, UpdateUserInput } from '../users/users.service';
import { CreatedPersonalTokenView, PersonalTokenView, UserView } from '../users/user-view';
import { error, idParams, invalid, notFound, uuid, type Routes } from './contract';

const tags = ['Users'];
const conflict = (description: string) => ({ 409: error(description) });
const tokenParams = z.object({ tokenId: uuid });
const userTokenParams = idParams.extend({ tokenId: uuid });
const tokenList = { 200: { description: 'Newest first; never the token itself', body: z.array(PersonalTokenView) } };

/** Users, roles and personal tokens. */
export const USER_ROUTES: Routes = {
  '/api/users': {
    get: { tags, access: 'admin', summary: 'Every user with their role', responses: { 200: { description: 'By name', body: z.array(UserView) } } },
    post: {
      tags,
      access: 'admin',
      summary: 'Create a user with a role and an initial password',
      body: CreateUserInput,
      responses: { 201: { description: 'Created', body: UserView }, ...invalid, ...conflict('The username is taken') },
    },
  },
  '/api/users/{id}': {
    get: { tags, access: 'admin', summary: 'One user', params: idParams, responses: { 200: { description: 'OK', body: UserView }, ...notFound } },
    put: {
      tags,
      access: 'admin',
      summary: "Change a user's role or reset the password, which ends the user's sessions",
      description: "A new role applies at once to every session and token of the user; a new password ends the user's sessions (not the tokens).",
      params: idParams,
      body: UpdateUserInput,
      responses: { 200: { description: 'OK', body: UserView }, ...invalid, ...notFound, ...conflict('The user is the last admin') },
    },
    delete: {
      tags,
      access: 'admin',
      summary: 'Delete a user with its sessions and personal tokens',
      params: idParams,
      responses: { 204: 'Deleted', ...notFound, ...conflict('The user is the last admin') },
    },
  },
  '/api/users/{id}/tokens': {
    get: { tags, access: 'admin', summary: "A user's personal tokens", params: idParams, responses: { ...tokenList, ...notFound } },
  },
  '/api/users/{id}/tokens/{tokenId}': {
    delete: { tags, access: 'admin', summary: "Revoke a user's personal token", params: userTokenParams, responses: { 204: 'Revoked (again: no change)', ...notFound } },
  },
  '/api/users/me/tokens': {
    get: { tags, access: 'viewer', summary: 'Your personal tokens', responses: tokenList },
    post: {
      tags,
      access: 'login',
      summary: 'Create a personal token for scripts and CI; it acts with your role, as Authorization: Bearer hlp_...',
      description: 'expiresInDays or expiresAt, or neither for a token that does not expire. Only a login creates tokens: a request with a personal token is answered 403, so a leaked token cannot mint others.',
      body: CreateTokenInput,
      responses: { 201: { description: 'The token, shown this once', body: CreatedPersonalTokenView }, ...invalid },
    },
  },
  '/api/users/me/tokens/{tokenId}': {
    delete: { tags, access: 'viewer', summary: 'Revoke one of your personal tokens', params: tokenParams, responses: { 204: 'Revoked (again: no change)', ...notFound } },
  },
};
