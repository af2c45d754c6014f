// The floor any webhook server pays: a bare node:http server that reads the whole
// body, JSON.parses it and answers 202 with a small JSON. No framework, no storage.
// Started as a child process by run-bench.mjs; prints "Listening on http://host:port".
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';

const host = process.env.HOST || '127.0.0.1';
const port = Number(process.env.PORT || 0);

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    let status = 202;
    let body;
    try {
      JSON.parse(Buffer.concat(chunks).toString('utf8'));
      body = JSON.stringify({ messageId: randomUUID(), status: 'queued' });
    } catch {
      status = 400;
      body = JSON.stringify({ error: 'invalid JSON' });
    }
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});

server.keepAliveTimeout = 65_000;
server.listen(port, host, () => {
  const address = server.address();
  console.log(`Listening on http://${host}:${address.port}`);
});

const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
