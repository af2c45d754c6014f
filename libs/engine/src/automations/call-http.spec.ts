import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { backoffDelay, callHttp, type HttpCallInput } from './call-http';

type Handler = (request: IncomingMessage, body: string, response: ServerResponse) => void;

describe('callHttp', () => {
  let server: Server;
  let baseUrl: string;
  let handler: Handler;
  const received: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[] = [];
  const sleeps: number[] = [];
  const fakeSleep = async (ms: number): Promise<void> => {
    sleeps.push(ms);
  };

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        received.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
        handler(request, body, response);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  beforeEach(() => {
    received.length = 0;
    sleeps.length = 0;
  });

  function input(overrides: Partial<HttpCallInput> = {}): HttpCallInput {
    return { method: 'POST', url: `${baseUrl}/hook`, headers: {}, timeoutMs: 2_000, retries: 2, backoffMs: 100, ...overrides };
  }

  function respondWith(...statuses: number[]): void {
    let call = 0;
    handler = (_request, _body, response) => {
      const status = statuses[Math.min(call, statuses.length - 1)];
      call++;
      response.writeHead(status, { 'content-type': 'text/plain' }).end(`answer ${call}: ${status}`);
    };
  }

  it('succeeds on a 2xx, sending method, headers and body', async () => {
    respondWith(201);
    const result = await callHttp(input({ method: 'put', headers: { 'X-Ref': 'main', 'Content-Type': 'application/json' }, body: '{"a":1}' }), fakeSleep);
    expect(result).toMatchObject({ ok: true, status: 201, preview: 'answer 1: 201' });
    expect(result.error).toBeUndefined();
    expect(result.attempts).toHaveLength(1);
    expect(result.attempts[0]).toEqual({ status: 201, durationMs: expect.any(Number) });
    expect(received).toEqual([expect.objectContaining({ method: 'PUT', url: '/hook', body: '{"a":1}' })]);
    expect(received[0].headers['x-ref']).toBe('main');
    expect(received[0].headers['content-type']).toBe('application/json');
    expect(sleeps).toEqual([]);
  });

  it('sends the traceparent it is given, unless the headers name their own', async () => {
    respondWith(200);
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    await callHttp(input({ traceparent }), fakeSleep);
    await callHttp(input({ traceparent, headers: { TraceParent: '00-11111111111111111111111111111111-2222222222222222-00' } }), fakeSleep);
    expect(received.map((request) => request.headers.traceparent)).toEqual([traceparent, '00-11111111111111111111111111111111-2222222222222222-00']);
  });

  it('retries a 500 and records both attempts when the retry succeeds', async () => {
    respondWith(500, 200);
    const result = await callHttp(input(), fakeSleep);
    expect(result).toMatchObject({ ok: true, status: 200, preview: 'answer 2: 200' });
    expect(result.attempts.map((attempt) => attempt.status)).toEqual([500, 200]);
    expect(received).toHaveLength(2);
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThanOrEqual(100);
    expect(sleeps[0]).toBeLessThanOrEqual(110);
  });

  it('gives up after the retries with exponential backoff when the answer stays 500', async () => {
    respondWith(500);
    const result = await callHttp(input({ retries: 3 }), fakeSleep);
    expect(result).toMatchObject({ ok: false, status: 500, preview: 'answer 4: 500', error: 'HTTP 500' });
    expect(result.attempts.map((attempt) => attempt.status)).toEqual([500, 500, 500, 500]);
    expect(received).toHaveLength(4);
    expect(sleeps).toHaveLength(3);
    [100, 200, 400].forEach((base, index) => {
      expect(sleeps[index]).toBeGreaterThanOrEqual(base);
      expect(sleeps[index]).toBeLessThanOrEqual(base * 1.1);
    });
  });

  it('makes a single attempt when retries is 0', async () => {
    respondWith(404);
    const result = await callHttp(input({ retries: 0 }), fakeSleep);
    expect(result).toMatchObject({ ok: false, status: 404, error: 'HTTP 404' });
    expect(result.attempts).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });

  it('reports a refused connection on every attempt without rejecting', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const result = await callHttp(input({ url: `http://127.0.0.1:${port}/`, retries: 1 }), fakeSleep);
    expect(result).toMatchObject({ ok: false, status: null, preview: '' });
    expect(result.attempts).toHaveLength(2);
    expect(result.attempts.every((attempt) => attempt.status === null && attempt.error?.includes('ECONNREFUSED'))).toBe(true);
    expect(result.error).toContain('ECONNREFUSED');
    expect(sleeps).toHaveLength(1);
  });

  it('times out a server that never answers, then retries', async () => {
    let call = 0;
    handler = (_request, _body, response) => {
      call++;
      if (call === 2) response.writeHead(200).end('late but fine');
      // The first request is left hanging.
    };
    // A second long enough that the answering attempt fits in it on a busy machine too.
    const result = await callHttp(input({ timeoutMs: 1000, retries: 1 }), fakeSleep);
    expect(result).toMatchObject({ ok: true, status: 200, preview: 'late but fine' });
    expect(result.attempts[0]).toEqual({ status: null, error: 'Timed out after 1000 ms', durationMs: expect.any(Number) });
    expect(result.attempts[0].durationMs).toBeGreaterThanOrEqual(950);
  });

  it('keeps the status and what arrived when the body stalls past the timeout', async () => {
    handler = (_request, _body, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.write('partial');
      // Never ended.
    };
    const result = await callHttp(input({ timeoutMs: 300, retries: 0 }), fakeSleep);
    expect(result).toMatchObject({ ok: true, status: 200, preview: 'partial' });
    expect(result.attempts).toEqual([{ status: 200, error: 'Reading the body failed: Timed out after 300 ms', durationMs: expect.any(Number) }]);
  });

  it('keeps only the first 2 KB of the body as the preview, without splitting a character', async () => {
    handler = (_request, _body, response) => {
      response.writeHead(200).end('a' + 'é'.repeat(5_000));
    };
    const result = await callHttp(input(), fakeSleep);
    // 1 byte + 1023 two-byte characters = 2047 bytes; the half character at byte 2048 is dropped.
    expect(result.preview).toBe('a' + 'é'.repeat(1023));
  });

  it('fails at once, without attempts, for a request that cannot be built', async () => {
    const cases: [Partial<HttpCallInput>, string][] = [
      [{ url: 'not a url' }, 'Invalid URL "not a url"'],
      [{ url: 'ftp://example.com/x' }, 'Unsupported URL scheme "ftp:"; use http or https'],
      [{ method: 'GET', body: 'x' }, 'A GET request cannot have a body'],
      [{ method: 'PO ST' }, 'Invalid HTTP method "PO ST"'],
    ];
    for (const [overrides, error] of cases) {
      await expect(callHttp(input(overrides), fakeSleep)).resolves.toEqual({ ok: false, status: null, preview: '', attempts: [], error });
    }
    const badHeader = await callHttp(input({ headers: { 'X-Injected': 'a\r\nSet-Cookie: x=1' } }), fakeSleep);
    expect(badHeader).toMatchObject({ ok: false, attempts: [] });
    expect(badHeader.error).toMatch(/^Invalid headers: /);
    expect(received).toEqual([]);
  });
});

describe('backoffDelay', () => {
  it('doubles for each retry and adds at most 10% jitter', () => {
    for (let index = 0; index < 4; index++) {
      const base = 250 * 2 ** index;
      const delay = backoffDelay(250, index);
      expect(delay).toBeGreaterThanOrEqual(base);
      expect(delay).toBeLessThanOrEqual(base * 1.1);
    }
    expect(backoffDelay(0, 3)).toBe(0);
  });
});
