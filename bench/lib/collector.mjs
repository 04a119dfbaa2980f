// A stand-in OTLP/HTTP collector for the sampled cases: accepts POST /v1/traces (protobuf or JSON),
// counts requests and bytes, answers an empty ExportTraceServiceResponse. GET /stats reads the counts.
// Started once per run, pinned to the load generator's core, so its work never lands on the server's.
// COLLECTOR_DUMP=<file> keeps the last export body, to see what a server sends (e.g. `strings <file>`).
// COLLECTOR_SOCKET=<path> listens on that unix socket instead of a TCP port (and prints the path).
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';

let requests = 0;
let bytes = 0;
const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/stats') {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ requests, bytes }));
    return;
  }
  req.on('data', (chunk) => (bytes += chunk.length));
  const chunks = [];
  if (process.env.COLLECTOR_DUMP) req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    if (process.env.COLLECTOR_DUMP) writeFileSync(process.env.COLLECTOR_DUMP, Buffer.concat(chunks));
    requests++;
    const json = (req.headers['content-type'] ?? '').includes('json');
    // An empty protobuf message is zero bytes; the JSON form is {}.
    res.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' }).end(json ? '{}' : '');
  });
});
const socket = process.env.COLLECTOR_SOCKET;
if (socket === undefined) server.listen(0, '127.0.0.1', () => process.stdout.write(`${server.address().port}\n`));
else server.listen(socket, () => process.stdout.write(`${socket}\n`));
process.on('SIGTERM', () => process.exit(0));
