import { DescriptorInput } from '../providers/descriptor-input';
import { authErrors, invalid, json, ref, requestSchema } from './openapi-parts';

/** Providers made from a descriptor, for the OpenAPI document; the descriptor's schema comes from its validator. */
const generated = requestSchema(DescriptorInput) as { properties: Record<string, { description?: string }> };
const { description: pathSuffixDescription, ...uriList } = generated.properties.pathSuffix;

export const DESCRIPTOR_SCHEMAS = {
  WebhookDescriptor: {
    ...generated,
    // The validator wraps one uri into a list before checking it, which the generated schema cannot say.
    properties: { ...generated.properties, pathSuffix: { description: pathSuffixDescription, oneOf: [{ type: 'string' }, uriList] } },
    description:
      'How a sender signs its webhooks, which uris (after /webhooks/) it sends to, and where it names its event. algorithm none verifies nothing and takes no signature fields; ' +
      'otherwise header is required. pathSuffix is one uri or a list: each owns itself and everything under it (shop owns shop/orders), no globs. ' +
      'Exactly one of eventHeader and eventField (a dotted path into the JSON or form payload). Generates a custom-hmac (or none) verification, the descriptor event format and a match script.',
  },
  GeneratedProvider: {
    type: 'object',
    properties: {
      descriptor: { ...ref('WebhookDescriptor'), description: 'As stored: pathSuffix as a list of uris without slashes around them' },
      matchScript: { type: 'string', description: 'scripts/descriptor/match.js with the uris filled in as a JSON literal' },
      verification: { type: 'object', properties: { scheme: { type: 'string', enum: ['custom-hmac', 'none'] }, options: { type: 'object' } } },
      eventFormat: { type: 'string', enum: ['descriptor'] },
    },
  },
};

export const DESCRIPTOR_PATHS = {
  '/api/providers/descriptor-preview': {
    post: {
      tags: ['Providers'],
      summary: 'What a descriptor would generate (match script, verification, event format), without saving anything',
      requestBody: { required: true, ...json({ type: 'object', required: ['descriptor'], properties: { descriptor: ref('WebhookDescriptor') } }) },
      responses: { 200: { description: 'OK', ...json(ref('GeneratedProvider')) }, ...invalid, ...authErrors },
    },
  },
};
