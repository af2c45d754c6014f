import type { FunctionRunRecord } from './message';
import { httpAnswer } from './http-answer';

const ID = '0b7e4b9e-6c55-4a49-9d40-2f0a3b1c7d11';
const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };

function record(status: FunctionRunRecord['status'], extra: Partial<FunctionRunRecord> = {}): FunctionRunRecord {
  return { functionId: 'f1', functionName: 'deploy', status, startedAt: '2026-12-06T00:00:00.000Z', durationMs: 12, logs: [], ...extra };
}

describe('httpAnswer', () => {
  it('answers an async message that found no provider 202, a sync one 404', () => {
    expect(httpAnswer(ID, { kind: 'no_provider', sync: false })).toEqual({
      messageId: ID,
      status: 202,
      headers: JSON_TYPE,
      body: { messageId: ID, status: 'no_provider', message: 'No provider matched this request' },
    });
    expect(httpAnswer(ID, { kind: 'no_provider', sync: true }).status).toBe(404);
  });

  it('answers a failed verification 401 with its reason', () => {
    expect(httpAnswer(ID, { kind: 'unauthorized', reason: 'signature mismatch' })).toMatchObject({
      status: 401,
      body: { messageId: ID, status: 'unauthorized', message: 'Verification failed: signature mismatch' },
    });
  });

  it('answers a duplicate 200 with the message it repeats, so the sender stops retrying', () => {
    expect(httpAnswer(ID, { kind: 'duplicate', duplicateOf: 'earlier' })).toMatchObject({ status: 200, body: { messageId: ID, status: 'duplicate', duplicateOf: 'earlier' } });
  });

  it('answers a queued message 202 and a handshake with the sender\'s own status and body', () => {
    expect(httpAnswer(ID, { kind: 'queued' })).toMatchObject({ status: 202, body: { messageId: ID, status: 'queued' } });
    expect(httpAnswer(ID, { kind: 'handshake', status: 200, body: { challenge: 'abc' } })).toMatchObject({ status: 200, body: { challenge: 'abc' } });
  });

  it('answers a sync run 200, 404 or 500 by its status, with each function summarised', () => {
    const ran = httpAnswer(ID, { kind: 'ran', status: 'processed', functions: [record('succeeded', { result: { ok: 1 } })] });
    expect(ran).toMatchObject({ status: 200, body: { status: 'processed', functions: [{ id: 'f1', name: 'deploy', status: 'succeeded', durationMs: 12, result: { ok: 1 } }] } });
    expect(httpAnswer(ID, { kind: 'ran', status: 'no_function', functions: [] })).toMatchObject({ status: 404, body: { status: 'no_function' } });
    const failed = httpAnswer(ID, { kind: 'ran', status: 'failed', functions: [record('failed', { error: { kind: 'error', message: 'boom' } })] });
    expect(failed).toMatchObject({ status: 500, body: { status: 'failed', functions: [{ status: 'failed', error: 'boom' }] } });
  });

  it('answers a sync run still going after the wait 202 and names where to look', () => {
    expect(httpAnswer(ID, { kind: 'still_running', afterMs: 5000 })).toMatchObject({
      status: 202,
      body: { status: 'processing', message: `Functions are still running after 5000 ms; they go on, see GET /api/messages/${ID}` },
    });
  });

  it("passes a script's respond() through, lower-casing header names and typing an object body as JSON", () => {
    const answer = httpAnswer(ID, { kind: 'responded', response: { status: 201, headers: { 'X-Trace': 'abc' }, body: { created: true } } });
    expect(answer).toEqual({ messageId: ID, status: 201, headers: { 'x-trace': 'abc', ...JSON_TYPE }, body: { created: true } });
    const text = httpAnswer(ID, { kind: 'responded', response: { status: 200, headers: { 'Content-Type': 'text/plain' }, body: 'ok' } });
    expect(text).toEqual({ messageId: ID, status: 200, headers: { 'content-type': 'text/plain' }, body: 'ok' });
    expect(httpAnswer(ID, { kind: 'responded', response: { status: 204, headers: {}, body: undefined } }).body).toBe('');
  });

  it('answers a broken run 500, with the reason when the result could not be stored', () => {
    expect(httpAnswer(ID, { kind: 'broken' }).body).toMatchObject({ status: 'failed', message: 'Processing failed; the error is in the server log' });
    expect(httpAnswer(ID, { kind: 'broken', reason: 'too big' })).toMatchObject({ status: 500, body: { message: 'Processing failed: too big' } });
  });

  it('answers endpoint deliveries: disabled 200, throttled 429 with retry-after, started 200 or 207 when a start failed', () => {
    expect(httpAnswer(ID, { kind: 'endpoint_disabled', automations: [] })).toMatchObject({ status: 200, body: { status: 'disabled' } });
    expect(httpAnswer(ID, { kind: 'throttled', reason: 'wait', retryAfterSeconds: 7 })).toEqual({
      messageId: ID,
      status: 429,
      headers: { ...JSON_TYPE, 'retry-after': '7' },
      body: { messageId: ID, status: 'throttled', message: 'wait' },
    });
    const ok = { automationId: 'a1', status: 'pending' };
    const failed = { automationId: 'a2', status: 'failed', error: 'gone' };
    expect(httpAnswer(ID, { kind: 'started', status: 'processed', automations: [ok] }).status).toBe(200);
    expect(httpAnswer(ID, { kind: 'started', status: 'processed', automations: [ok, failed] })).toMatchObject({ status: 207, body: { status: 'processed' } });
  });
});
