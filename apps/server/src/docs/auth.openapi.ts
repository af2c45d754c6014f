import { LoginInput, PasswordInput } from '../auth/auth.controller';
import { LoginView, MeView, SessionView } from '../auth/auth-view';
import { error, invalid, type Routes } from './contract';

const tags = ['Auth'];

/** Logging in and out, the password, and who is logged in. */
export const AUTH_ROUTES: Routes = {
  '/api/auth/login': {
    post: {
      tags,
      access: 'public',
      summary: 'Log in; answers a bearer token and sets the session cookie',
      body: LoginInput,
      responses: {
        200: { description: 'OK', body: LoginView },
        ...invalid,
        401: error('Wrong username or password'),
        429: error('Too many failed logins from this address or for this user; wait Retry-After seconds (5 s doubling, at most 15 min per address and 1 min per user)'),
      },
    },
  },
  '/api/auth/logout': { post: { tags, access: 'viewer', summary: 'End this session', responses: { 204: 'Logged out' } } },
  '/api/auth/password': {
    post: {
      tags,
      access: 'viewer',
      summary: 'Change your password; every other session of yours ends',
      body: PasswordInput,
      responses: { 204: 'Changed', 400: error('A field is invalid, or currentPassword is not the current password; `fields` names each one') },
    },
  },
  '/api/auth/session': {
    get: {
      tags,
      access: 'public',
      summary: 'Whether this request is logged in: the user, or null (200 either way; the console asks it on load)',
      responses: { 200: { description: 'OK', body: SessionView } },
    },
  },
  '/api/auth/me': {
    get: { tags, access: 'viewer', summary: 'Who is logged in, with the role; tokenId when the request came with a personal token', responses: { 200: { description: 'OK', body: MeView } } },
  },
};
