import { z } from 'zod';
import { CreateGitProviderInput, UpdateGitProviderInput } from '../git-providers/git-provider-input';
import { GitProviderCheckView, GitProviderView } from '../git-providers/git-provider-view';
import { error, idParams, invalid, notFound, type Routes } from './contract';

const tags = ['Git providers'];

/** Git providers: the accounts and remotes that SCM polling asks. */
export const GIT_PROVIDER_ROUTES: Routes = {
  '/api/git-providers': {
    get: { tags, access: 'viewer', summary: 'List Git providers (never their tokens)', responses: { 200: { description: 'OK', body: z.array(GitProviderView) } } },
    post: {
      tags,
      access: 'admin',
      summary: 'Add a Git provider: a GitHub or Azure DevOps account, or any git remote, for SCM polling',
      body: CreateGitProviderInput,
      responses: { 201: { description: 'Created', body: GitProviderView }, ...invalid, 409: error('The name is taken') },
    },
  },
  '/api/git-providers/{id}': {
    get: { tags, access: 'viewer', summary: 'Get one', params: idParams, responses: { 200: { description: 'OK', body: GitProviderView }, ...notFound } },
    put: {
      tags,
      access: 'admin',
      summary: 'Change the fields given (others stay as they are)',
      params: idParams,
      body: UpdateGitProviderInput,
      responses: { 200: { description: 'OK', body: GitProviderView }, ...invalid, ...notFound, 409: error('The name is taken, or automations poll with the provider so it cannot be renamed') },
    },
    delete: { tags, access: 'admin', summary: 'Delete', params: idParams, responses: { 204: 'Deleted', ...notFound, 409: error('Automations poll with the provider; change or remove their scmPoll first') } },
  },
  '/api/git-providers/{id}/check': {
    post: {
      tags,
      access: 'admin',
      summary: 'Ask the host whether the credentials work, and for whom (GitHub: GET /user; Azure DevOps: connectionData; git: ls-remote)',
      params: idParams,
      responses: { 200: { description: 'The check ran: ok with the identity, or the kind of failure and what the host said', body: GitProviderCheckView }, ...notFound },
    },
  },
};
