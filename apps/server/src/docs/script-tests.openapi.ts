import { PreviewInput, TestFunctionInput, TestProviderInput } from '../script-tests/script-test-input';
import { authErrors, error, idParam, invalid, json, ref, requestSchema } from './openapi-parts';

/**
 * The OpenAPI paths and schemas of test and preview. Request bodies are generated from the
 * validators, so the document cannot drift from what the server accepts.
 */
/** A script that does not compile is a result, never a 400. */
const errors = { ...invalid, ...authErrors };

const located = {
  type: 'object',
  properties: {
    kind: { type: 'string', enum: ['error', 'timeout', 'memory', 'compile'] },
    message: { type: 'string' },
    stack: { type: 'string', description: 'The frames in the script itself' },
    line: { type: 'integer', description: 'Line in the script, when the error names one' },
    column: { type: 'integer' },
  },
};
const requestSummary = { type: 'object', properties: { messageId: { type: ['string', 'null'] }, method: { type: 'string' }, uri: { type: 'string' } } };
const named = { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } } };

export const SCRIPT_TEST_SCHEMAS = {
  ScriptError: located,
  FunctionTestInput: requestSchema(TestFunctionInput),
  FunctionTestResult: {
    type: 'object',
    properties: {
      function: named,
      request: requestSummary,
      eventType: { type: ['string', 'null'] },
      event: { type: ['object', 'null'] },
      status: { type: 'string', enum: ['succeeded', 'failed', 'timed_out', 'skipped'], description: 'skipped: the condition did not hold' },
      condition: { type: 'object', properties: { expression: { type: 'string' }, value: { type: 'boolean' }, error: ref('ScriptError') } },
      result: { description: 'The return value' },
      respond: { type: 'object', description: 'What respond() would have answered', properties: { status: { type: 'integer' }, headers: { type: 'object' }, body: {} } },
      logs: { type: 'array', items: { type: 'object', properties: { level: { type: 'string' }, message: { type: 'string' }, at: { type: 'string' } } } },
      error: ref('ScriptError'),
      durationMs: { type: 'number' },
      fetches: {
        type: 'array',
        description: 'http.fetch calls, recorded and not sent; `refused` says why a real run would have been refused',
        items: { type: 'object', properties: { method: { type: 'string' }, url: { type: 'string' }, headers: { type: 'object' }, body: { type: 'string' }, refused: { type: 'string' } } },
      },
      automations: {
        type: 'array',
        description: 'Automations the run would have started; no run was created',
        items: { type: 'object', properties: { automationId: { type: ['string', 'null'] }, automation: { type: 'string' }, vars: { type: 'object' }, refused: { type: 'string' } } },
      },
    },
  },
  ProviderTestInput: requestSchema(TestProviderInput),
  ProviderTestResult: {
    type: 'object',
    properties: {
      provider: named,
      request: requestSummary,
      matched: { type: 'boolean' },
      durationMs: { type: 'number' },
      error: ref('ScriptError'),
      verification: { type: 'object', properties: { scheme: { type: 'string' }, ok: { type: 'boolean' }, reason: { type: 'string' }, matchedSecret: { type: 'string' }, overridden: { type: 'boolean' } } },
      accepted: { type: 'boolean', description: 'Matched, and the signature holds (one only too old counts, as on resubmit)' },
      eventType: { type: ['string', 'null'] },
      event: { type: ['object', 'null'] },
      deliveryId: { type: ['string', 'null'] },
    },
  },
  PreviewInput: requestSchema(PreviewInput),
  Preview: {
    type: 'object',
    properties: {
      limit: { type: 'integer' },
      counts: { type: 'object', properties: { messages: { type: 'integer' }, changed: { type: 'integer' } } },
      durationMs: { type: 'integer' },
      order: { type: 'array', items: named, description: 'The enabled providers in the draft order' },
      scriptErrors: { type: 'object', additionalProperties: ref('ScriptError'), description: 'Draft match scripts that do not compile, by provider id' },
      items: {
        type: 'array',
        description: 'Newest first',
        items: {
          type: 'object',
          properties: {
            messageId: { type: 'string' },
            receivedAt: { type: 'string', format: 'date-time' },
            method: { type: 'string' },
            uri: { type: 'string' },
            eventType: { type: ['string', 'null'] },
            actual: { type: 'object', properties: { status: { type: 'string' }, providerId: { type: ['string', 'null'] }, providerName: { type: ['string', 'null'] }, functions: { type: 'array', items: named } } },
            draft: {
              type: 'object',
              properties: {
                status: { type: 'string', enum: ['accepted', 'no_provider', 'unauthorized'] },
                providerId: { type: ['string', 'null'] },
                providerName: { type: ['string', 'null'] },
                functions: { type: 'array', items: named, description: 'Functions whose condition holds; their bodies do not run' },
                errors: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' }, error: ref('ScriptError') } } },
              },
            },
            changed: { type: 'boolean' },
            changes: { type: 'array', items: { type: 'string', enum: ['provider', 'functions'] } },
          },
        },
      },
    },
  },
};

export const SCRIPT_TEST_PATHS = {
  '/api/providers/{id}/test': {
    parameters: [idParam],
    post: {
      tags: ['Providers'],
      summary: 'Test a draft match script (and scheme, options, event format) against a stored message or a pasted request; nothing is saved',
      requestBody: { required: true, ...json(ref('ProviderTestInput')) },
      responses: { 200: { description: 'The result', ...json(ref('ProviderTestResult')) }, ...errors, 404: error('No such provider') },
    },
  },
  '/api/functions/{id}/test': {
    parameters: [idParam],
    post: {
      tags: ['Functions'],
      summary: 'Run a draft script and condition against a stored message or a pasted request: http.fetch and automations.trigger are recorded, not done; nothing is saved',
      requestBody: { required: true, ...json(ref('FunctionTestInput')) },
      responses: { 200: { description: 'The result', ...json(ref('FunctionTestResult')) }, ...errors, 404: error('No such function') },
    },
  },
  '/api/preview': {
    post: {
      tags: ['Providers'],
      summary: 'Replay the newest stored messages through a draft provider order and match scripts: which provider and functions each would go to, beside what happened',
      requestBody: { required: false, ...json(ref('PreviewInput')) },
      responses: { 200: { description: 'Per message, what happened and what the draft would do', ...json(ref('Preview')) }, ...errors },
    },
  },
};
