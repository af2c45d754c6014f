// The load generator when wrk is not installed: autocannon in a process of its own (so it can be
// pinned to its own core), sending one signed body with a unique X-GitHub-Delivery per request.
//   node bench/autocannon-load.mjs '<json: {url, bodyFile, headers, connections, duration, deliveryPrefix, idsFile?}>'
// Prints one line "AUTOCANNON_RESULT {...}" that load.mjs reads. With idsFile, the
// X-Hookline-Message-Id of every 2xx answer is written there, one a line.
import { readFileSync, writeFileSync } from 'node:fs';
import autocannon from 'autocannon';

const config = JSON.parse(process.argv[2]);
const body = readFileSync(config.bodyFile);
let counter = 0;
const latencies = [];
const ids = [];

const instance = autocannon(
  {
    url: config.url,
    method: 'POST',
    headers: config.headers,
    body,
    connections: config.connections,
    duration: config.duration,
    timeout: 30,
    requests: [
      {
        setupRequest(request) {
          request.headers = { ...request.headers, 'x-github-delivery': `${config.deliveryPrefix}-${++counter}` };
          return request;
        },
        ...(config.idsFile && {
          onResponse(status, _body, _context, headers) {
            const name = Object.keys(headers ?? {}).find((h) => h.toLowerCase() === 'x-hookline-message-id');
            const id = name && headers[name];
            if (status >= 200 && status < 300 && id) ids.push(id);
          },
        }),
      },
    ],
  },
  (error, result) => {
    if (error) {
      console.error(error.stack ?? String(error));
      process.exit(1);
    }
    if (config.idsFile) writeFileSync(config.idsFile, ids.length ? `${ids.join('\n')}\n` : '');
    latencies.sort((a, b) => a - b);
    const pick = (p) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.max(0, Math.ceil((p / 100) * latencies.length) - 1))] : NaN);
    const summary = {
      requests: result.requests.total,
      ok2xx: result['2xx'],
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      seconds: result.duration,
      p50Ms: pick(50),
      p99Ms: pick(99),
      statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, s.count])),
    };
    process.stdout.write(`AUTOCANNON_RESULT ${JSON.stringify(summary)}\n`);
  },
);
// Every response's time, not autocannon's histogram, which rounds to whole milliseconds.
instance.on('response', (_client, _statusCode, _bytes, responseTime) => latencies.push(responseTime));
