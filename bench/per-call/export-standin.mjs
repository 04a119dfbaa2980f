// The OTLP batch export's traffic without tracing: preloaded into a bench server (`node --import
// ./bench/per-call/export-standin.mjs bench/per-call/server.mjs http log,metrics,sampled-none`), it
// posts a body of STANDIN_BYTES (default 121,000: one batch of 512 spans) every STANDIN_MS (default 36)
// to STANDIN_URL (an OTLP/HTTP collector, e.g. bench/lib/collector.mjs; STANDIN_SOCKET=<path> posts to
// a collector listening on a unix socket instead). STANDIN_MODE says how:
//   otel      what the SDK's node-http transport does: a keep-alive agent, the body piped from a Readable
//             (chunked transfer encoding), the response read into a list and concatenated (default)
//   end       the same agent, the body written with its content-length by `req.end(body)`
//   close     as otel, without keep-alive (a connection per post)
//   fetch     undici's fetch, the body with its content-length
// STANDIN_FRESH=1 allocates a new body per post (as an encoder does) instead of sending one buffer.
import { Agent, request } from 'node:http';
import { Readable } from 'node:stream';

const bytes = Number(process.env.STANDIN_BYTES ?? 121_000);
const every = Number(process.env.STANDIN_MS ?? 36);
const mode = process.env.STANDIN_MODE ?? 'otel';
const url = new URL(process.env.STANDIN_URL ?? `${process.env.BENCH_COLLECTOR}/v1/traces`);
const socketPath = process.env.STANDIN_SOCKET;
const agent = new Agent({ keepAlive: mode !== 'close' });
const shared = Buffer.alloc(bytes, 0x5a);
const body = () => (process.env.STANDIN_FRESH === '1' ? Buffer.alloc(bytes, 0x5a) : shared);
let busy = false;

function post(data, done) {
  const headers = { 'Content-Type': 'application/x-protobuf', 'User-Agent': 'standin' };
  if (mode === 'end') headers['Content-Length'] = data.length;
  const req = request(url, { method: 'POST', headers, agent, socketPath }, (res) => {
    const chunks = [];
    res.on('data', (c) => chunks.push(c));
    res.on('end', () => done(Buffer.concat(chunks)));
  });
  req.on('error', () => done());
  if (mode === 'end') req.end(data);
  else {
    const readable = new Readable();
    readable.push(data);
    readable.push(null);
    readable.pipe(req);
  }
}

function tick() {
  if (busy) return; // as the batch processor: one export at a time
  busy = true;
  const done = () => (busy = false);
  if (mode === 'fetch') fetch(url, { method: 'POST', body: body(), headers: { 'Content-Type': 'application/x-protobuf' } }).then((r) => r.arrayBuffer()).then(done, done);
  else post(body(), done);
}
if (bytes > 0) setInterval(tick, every).unref();
