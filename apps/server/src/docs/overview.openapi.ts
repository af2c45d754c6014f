import { OVERVIEW_RANGES } from '../overview/overview.service';
import { authErrors, invalid, json } from './openapi-parts';

/** GET /api/overview, for the OpenAPI document. */
export const OVERVIEW_PATHS = {
  '/api/overview': {
    get: {
      tags: ['Messages'],
      summary: 'Messages per bucket by status, failure rate, queue depth and the slowest functions, computed in the database',
      parameters: [{ name: 'range', in: 'query', schema: { type: 'string', enum: Object.keys(OVERVIEW_RANGES), default: '1h' }, description: '1h: one-minute buckets; 24h: 15-minute buckets' }],
      responses: {
        200: {
          description: 'The overview',
          ...json({
            type: 'object',
            properties: {
              range: { type: 'string' },
              since: { type: 'string', format: 'date-time', description: 'Start of the first bucket' },
              bucketSeconds: { type: 'integer' },
              buckets: {
                type: 'array',
                items: { type: 'object', properties: { start: { type: 'string', format: 'date-time' }, total: { type: 'integer' }, byStatus: { type: 'object', additionalProperties: { type: 'integer' } } } },
              },
              totals: { type: 'object', properties: { messages: { type: 'integer' }, byStatus: { type: 'object', additionalProperties: { type: 'integer' } } } },
              failureRate: { type: 'number', description: '(failed + dead) / (processed + no_function + failed + dead) over the range; 0 when none finished' },
              queue: { type: 'object', properties: { queued: { type: 'integer' }, processing: { type: 'integer' }, waitingForRetry: { type: 'integer' } } },
              slowestFunctions: {
                type: 'array',
                description: 'Up to 5 functions, slowest 95th percentile first, from the traces of the messages in the range',
                items: {
                  type: 'object',
                  properties: {
                    functionId: { type: 'string' },
                    functionName: { type: 'string' },
                    runs: { type: 'integer' },
                    failures: { type: 'integer' },
                    p95Ms: { type: 'number' },
                    maxMs: { type: 'number' },
                    avgMs: { type: 'number' },
                  },
                },
              },
            },
          }),
        },
        ...invalid,
        ...authErrors,
      },
    },
  },
};
