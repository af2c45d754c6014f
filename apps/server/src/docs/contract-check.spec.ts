import { z } from 'zod';
import type { Operation } from './contract';
import { contractProblem } from './contract-check';

const operation: Operation = {
  tags: ['T'],
  summary: 'A thing',
  access: 'viewer',
  responses: { 200: { description: 'OK', body: z.strictObject({ id: z.string(), count: z.number().int() }) }, 204: 'Nothing' },
};
const json = 'application/json; charset=utf-8';

describe('contractProblem', () => {
  it('accepts an answer its route describes', () => {
    expect(contractProblem(operation, 200, json, JSON.stringify({ id: 'a', count: 1 }))).toBeUndefined();
    expect(contractProblem(operation, 204, undefined, '')).toBeUndefined();
    // The 401 and 403 of a route behind a login come with it.
    expect(contractProblem(operation, 401, json, JSON.stringify({ statusCode: 401, error: 'Unauthorized', message: 'Log in' }))).toBeUndefined();
  });

  it('names a field the answer has and the contract lacks, a wrong type, and a missing field', () => {
    expect(contractProblem(operation, 200, json, JSON.stringify({ id: 'a', count: 1, extra: true }))).toContain('Unrecognized key: "extra"');
    expect(contractProblem(operation, 200, json, JSON.stringify({ id: 'a', count: '1' }))).toMatch(/^count: .*expected number/);
    expect(contractProblem(operation, 200, json, Buffer.from(JSON.stringify({ count: 1 })))).toMatch(/^id: /);
  });

  it('leaves unchecked a body described by content, even one labelled JSON', () => {
    const raw: Operation = { ...operation, responses: { 200: { description: 'The bytes as sent', content: { '*/*': { schema: { type: 'string', format: 'binary' } } } } } };
    expect(contractProblem(raw, 200, json, Buffer.from('{"not": "checked"'))).toBeUndefined();
    expect(contractProblem(raw, 404, json, '{}')).toBe("status 404 is not among the route's answers (200, 401, 403)");
  });

  it('refuses a status the route does not list, and a JSON body it does not describe', () => {
    expect(contractProblem(operation, 409, json, '{}')).toBe("status 409 is not among the route's answers (200, 204, 401, 403)");
    expect(contractProblem(operation, 204, json, '{}')).toBe('a JSON body the contract does not describe for status 204');
  });
});
