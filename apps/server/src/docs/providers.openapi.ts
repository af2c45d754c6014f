import { z } from 'zod';
import { CreateFunctionInput, UpdateFunctionInput } from '../functions/function-input';
import { FunctionView } from '../functions/function-view';
import { DescriptorPreviewInput } from '../providers/descriptor-input';
import { CreateProviderInput, OrderProvidersInput, UpdateProviderInput } from '../providers/provider-input';
import { GeneratedProviderView, ProviderView, SchemesView } from '../providers/provider-view';
import { CommentOnlyInput } from '../versions/version-input';
import { VersionListQuery, VersionPage, versionParam, VersionView } from '../versions/version-view';
import { error, idParams, invalid, notFound, type Answer, type Operation, type PathItem, type Routes } from './contract';
import { SCRIPT_TEST_ROUTES } from './script-tests.openapi';

const ok = (body: z.ZodType, description = 'OK'): Record<number, Answer> => ({ 200: { description, body } });
const conflict = (description: string) => ({ 409: error(description) });
const badVersion = { 400: error('Not a version number, or a query parameter is invalid; `fields` names each one') };

/** The three routes of a versioned thing: its versions (a page), one version, and restoring one. */
function versionRoutes(tags: string[], what: string, params: z.ZodObject | undefined, restored: z.ZodType, restoreProblems: Record<number, Answer> = {}) {
  const withVersion = (params ?? z.object({})).extend({ version: versionParam });
  const list: Operation = {
    tags,
    access: 'viewer',
    summary: `The versions of ${what}, newest first, without their content`,
    ...(params && { params }),
    query: VersionListQuery,
    // The order is always there; a provider or a function may not be.
    responses: params ? { ...ok(VersionPage, 'A page'), ...invalid, ...notFound } : { ...ok(VersionPage, 'A page'), ...invalid },
  };
  const one: Operation = {
    tags,
    access: 'viewer',
    summary: `One version of ${what} with its full content`,
    params: withVersion,
    responses: { ...ok(VersionView), ...badVersion, ...notFound },
  };
  const restore: Operation = {
    tags,
    access: 'editor',
    summary: `Save this version's content again, checked like an ordinary save, as a new version (comment "restored from v<n>" unless one is given)`,
    params: withVersion,
    body: CommentOnlyInput,
    bodyRequired: false,
    responses: { ...ok(restored, 'Restored'), ...invalid, ...notFound, ...restoreProblems },
  };
  return { list: { get: list } as PathItem, one: { get: one } as PathItem, restore: { post: restore } as PathItem };
}

/** A resource's list, create, read, change and delete. */
function crud(tags: string[], view: z.ZodType, create: z.ZodType, update: z.ZodType, conflicts: Record<number, Answer> = {}) {
  return {
    collection: {
      get: { tags, access: 'viewer', summary: `List ${tags[0].toLowerCase()}`, responses: ok(z.array(view)) },
      post: { tags, access: 'editor', summary: 'Create', body: create, responses: { 201: { description: 'Created', body: view }, ...invalid, ...conflicts } },
    } satisfies PathItem,
    item: {
      get: { tags, access: 'viewer', summary: 'Get one', params: idParams, responses: { ...ok(view), ...notFound } },
      put: {
        tags,
        access: 'editor',
        summary: 'Change the fields given (others stay as they are)',
        params: idParams,
        body: update,
        responses: { ...ok(view), ...invalid, ...notFound, ...conflicts },
      },
      delete: { tags, access: 'editor', summary: 'Delete', params: idParams, responses: { 204: 'Deleted', ...notFound } },
    } satisfies PathItem,
  };
}

const providerTags = ['Providers'];
const providers = crud(providerTags, ProviderView, CreateProviderInput, UpdateProviderInput, conflict('Another provider has this name'));
const providerVersions = versionRoutes(providerTags, 'a provider (match script, scheme, options, event format)', idParams, ProviderView);
const orderVersions = versionRoutes(providerTags, 'the provider order', undefined, z.array(ProviderView), {
  400: error('Not a version number, or the version names a provider deleted since or leaves out one created since'),
});

const functionTags = ['Functions'];
const functions = crud(functionTags, FunctionView, CreateFunctionInput, UpdateFunctionInput);
const functionVersions = versionRoutes(functionTags, 'a function (script, condition, timeout)', idParams, FunctionView);

/** The filters of GET /api/functions; the controller reads them, and the service checks providerId (400 unless an id). */
const FunctionListQuery = z.object({
  providerId: z.string().optional().describe('Only the functions of this provider'),
  uri: z.string().optional().describe('Only the functions on this uri'),
});

/** Providers with their order and versions, the schemes they choose from, and functions with their versions. */
export const PROVIDER_ROUTES: Routes = {
  '/api/providers': providers.collection,
  '/api/providers/{id}': providers.item,
  '/api/providers/descriptor-preview': {
    post: {
      tags: providerTags,
      access: 'editor',
      summary: 'What a descriptor would generate (match script, verification, event format), without saving anything',
      body: DescriptorPreviewInput,
      responses: { ...ok(GeneratedProviderView), ...invalid },
    },
  },
  '/api/providers/order': {
    put: {
      tags: providerTags,
      access: 'editor',
      summary: 'Set the priority order: list every provider id once, first runs first. Makes a version of the order',
      body: OrderProvidersInput,
      responses: { ...ok(z.array(ProviderView), 'The providers in their new order'), ...invalid },
    },
  },
  '/api/providers/order/versions': orderVersions.list,
  '/api/providers/order/versions/{version}': orderVersions.one,
  '/api/providers/order/versions/{version}/restore': orderVersions.restore,
  '/api/providers/{id}/versions': providerVersions.list,
  '/api/providers/{id}/versions/{version}': providerVersions.one,
  '/api/providers/{id}/versions/{version}/restore': providerVersions.restore,
  '/api/providers/{id}/reset': {
    post: {
      tags: providerTags,
      access: 'editor',
      summary: 'Restore a built-in provider to its shipped script, scheme, options and event format (priority, enabled, secrets and properties stay), as a new version',
      params: idParams,
      body: CommentOnlyInput,
      bodyRequired: false,
      responses: { ...ok(ProviderView), ...invalid, ...notFound, ...conflict('Not a built-in provider, or another provider has the built-in\'s name') },
    },
  },
  '/api/schemes': {
    get: {
      tags: providerTags,
      access: 'viewer',
      summary: 'The verification schemes (name, description, needsSecret, options) and event formats a provider can use',
      responses: ok(SchemesView),
    },
  },
  '/api/functions': {
    get: { ...functions.collection.get, query: FunctionListQuery, responses: { ...functions.collection.get.responses, ...invalid } },
    post: functions.collection.post,
  },
  '/api/functions/{id}': functions.item,
  '/api/functions/{id}/versions': functionVersions.list,
  '/api/functions/{id}/versions/{version}': functionVersions.one,
  '/api/functions/{id}/versions/{version}/restore': functionVersions.restore,
  ...SCRIPT_TEST_ROUTES,
};
