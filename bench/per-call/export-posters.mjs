// One OTLP-sized post, made each way an exporter could make it, for export-standin.mjs (a server's
// traffic) and export-post.mjs (a post's own cost). makePoster(mode, url, socketPath) returns
// post(body, done), one post at a time as the batch processor does; close() ends its connections.
//   otel      the SDK's node-http transport's shape: a keep-alive agent, the body piped from a Readable
//             (chunked), the reply read into a list and concatenated
//   end       the same agent, the body written with its content-length by `req.end(body)`
//   close     as otel, without keep-alive (a connection per post)
//   fetch     undici's fetch (node's own), the body with its content-length
//   undici    undici 7's Client (bench/'s own dependency, pinned) (one kept connection) and `client.request`, the reply read whole
//   dispatch  the same Client and `client.dispatch` with a handler of callbacks (no stream objects)
//   raw       a floor, not a client: one kept net.Socket, the request's head prebuilt, head and body
//             written corked, the reply taken as done at its head's end (the stub's reply has no body)
//   sdk       the SDK's own exporter delegate (node-http transport, retries, metrics) on a fixed body
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

const ROOT = process.env.KRATOS_ROOT ?? fileURLToPath(new URL('../..', import.meta.url));
const rootRequire = createRequire(join(ROOT, 'package.json'));
export const MODES = ['otel', 'end', 'close', 'fetch', 'undici', 'dispatch', 'raw', 'sdk'];

function nodeHttp(mode, url, socketPath) {
  const agent = new Agent({ keepAlive: mode !== 'close' });
  const post = (data, done) => {
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
  };
  return { post, close: () => agent.destroy() };
}

function undici(mode, url, socketPath) {
  const { Client } = createRequire(import.meta.url)('undici');
  const client = new Client(url.origin, socketPath === undefined ? {} : { socketPath });
  const path = url.pathname;
  const headers = { 'content-type': 'application/x-protobuf', 'user-agent': 'standin' };
  if (mode === 'undici') {
    const post = (data, done) => {
      client.request({ method: 'POST', path, headers, body: data }).then((r) => r.body.arrayBuffer()).then(done, () => done());
    };
    return { post, close: () => client.close() };
  }
  const post = (data, done) => {
    const chunks = [];
    client.dispatch({ method: 'POST', path, headers, body: data }, {
      onConnect() {},
      onHeaders() { return true; },
      onData(c) { chunks.push(c); return true; },
      onComplete() { done(Buffer.concat(chunks)); },
      onError() { done(); },
    });
  };
  return { post, close: () => client.close() };
}

// The SDK's export delegate (as lib/tracing/otel-otlp-exporter.ts builds it) on a serializer that returns the body as given: the whole path an export
// takes after encoding (promise handler, retrying transport, the transport, metrics).
function delegate(url) {
  let data;
  const serializer = { serializeRequest: () => data, deserializeResponse: () => ({}) };
  const http = rootRequire('@opentelemetry/otlp-exporter-base/node-http');
  const t = rootRequire('@opentelemetry/otlp-transformer');
  const options = http.convertLegacyHttpOptions({ url: url.href }, 'TRACES', 'v1/traces', { 'Content-Type': 'application/x-protobuf' });
  const d = http.createOtlpHttpExportDelegate(options, serializer, 'otlp_http_span_exporter', t.TraceExporterMetricsHelper, undefined);
  const post = (body, done) => {
    data = body;
    d.export([], () => done());
  };
  return { post, close: () => d.shutdown() };
}

function raw(url, socketPath) {
  const socket = socketPath === undefined ? connect(Number(url.port), url.hostname) : connect(socketPath);
  let done;
  let seen = '';
  socket.on('data', (c) => {
    seen += c.latin1Slice(0, c.length);
    if (seen.endsWith('\r\n\r\n') || seen.endsWith('\r\n0\r\n\r\n')) {
      seen = '';
      done();
    }
  });
  const head = (n) => `POST ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nContent-Type: application/x-protobuf\r\nUser-Agent: standin\r\nContent-Length: ${n}\r\n\r\n`;
  const post = (data, cb) => {
    done = cb;
    socket.cork();
    socket.write(head(data.length), 'latin1');
    socket.write(data);
    socket.uncork();
  };
  return { post, close: () => socket.destroy() };
}

export function makePoster(mode, url, socketPath) {
  if (mode === 'fetch') {
    const post = (data, done) => {
      fetch(url, { method: 'POST', body: data, headers: { 'Content-Type': 'application/x-protobuf' } }).then((r) => r.arrayBuffer()).then(done, () => done());
    };
    return { post, close: () => {} };
  }
  if (mode === 'undici' || mode === 'dispatch') return undici(mode, url, socketPath);
  if (mode === 'sdk') return delegate(url);
  if (mode === 'raw') return raw(url, socketPath);
  return nodeHttp(mode, url, socketPath);
}
