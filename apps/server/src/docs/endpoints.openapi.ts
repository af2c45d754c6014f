import { z } from 'zod';
import { CreateEndpointInput, UpdateEndpointInput } from '../endpoints/endpoint-input';
import { DeliveryAnswer, DeliveryPageView, DeliveryRefusal, EndpointView, EndpointWithUrlView } from '../endpoints/endpoint-view';
import { DeliveryQuery } from '../endpoints/endpoints.service';
import { error, idParams, invalid, notFound, type Routes } from './contract';

const tags = ['Webhooks'];
const nameTaken = { 409: error('A webhook endpoint of this name exists') };

/** Secret-token webhook endpoints: each delivery starts the automations it links. */
export const WEBHOOK_ROUTES: Routes = {
  '/api/webhooks': {
    get: { tags, access: 'viewer', summary: 'List webhooks', responses: { 200: { description: 'OK', body: z.array(EndpointView) } } },
    post: {
      tags,
      access: 'editor',
      summary: 'Create',
      body: CreateEndpointInput,
      responses: { 201: { description: 'Created, with its URL: the token is shown this once', body: EndpointWithUrlView }, ...invalid, ...nameTaken },
    },
  },
  '/api/webhooks/{id}': {
    get: { tags, access: 'viewer', summary: 'Get one', params: idParams, responses: { 200: { description: 'OK', body: EndpointView }, ...notFound } },
    put: {
      tags,
      access: 'editor',
      summary: 'Change the fields given (others stay as they are)',
      params: idParams,
      body: UpdateEndpointInput,
      responses: { 200: { description: 'OK', body: EndpointView }, ...invalid, ...notFound, ...nameTaken },
    },
    delete: { tags, access: 'editor', summary: 'Delete', params: idParams, responses: { 204: 'Deleted', ...notFound } },
  },
  '/api/webhooks/{id}/regenerate': {
    post: {
      tags,
      access: 'editor',
      summary: 'A new token, shown once in url; the old URL stops working at once',
      params: idParams,
      responses: { 200: { description: 'OK', body: EndpointWithUrlView }, ...notFound },
    },
  },
  '/api/webhooks/{id}/deliveries': {
    get: {
      tags,
      access: 'viewer',
      summary: "Delivery history: time, status, each automation's result, a 4 KB payload preview",
      params: idParams,
      query: DeliveryQuery,
      responses: { 200: { description: 'A page, newest first', body: DeliveryPageView }, ...invalid, ...notFound },
    },
  },
  '/api/webhooks/inbound/{token}': {
    post: {
      tags,
      access: 'public',
      summary: 'A delivery to a secret-token endpoint (no login: the token is the credential)',
      params: z.object({ token: z.string().describe('hle_...: the token of the endpoint, from its URL') }),
      rawBody: { '*/*': { schema: {} } },
      responses: {
        200: { description: 'Accepted; every linked automation started or skipped (or the endpoint is disabled)', body: DeliveryAnswer },
        207: { description: 'Some linked automations failed to start', body: DeliveryAnswer },
        401: { description: 'The signature failed', body: DeliveryRefusal('unauthorized') },
        404: error('Unknown or malformed token'),
        413: error('Body larger than HOOKLINE_MAX_BODY'),
        429: {
          description: 'Faster than the cooldown',
          body: DeliveryRefusal('throttled'),
          headers: { 'retry-after': { description: 'Seconds until the endpoint takes a delivery again', schema: { type: 'integer' } } },
        },
        503: error('The delivery could not be stored; nothing was accepted, send it again'),
      },
    },
  },
};
