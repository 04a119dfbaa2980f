// The oracle for the overload runs (issue 18): what bare Node serves under the soak's own load with
// the simplest admission that could work given perfect knowledge. The same two handlers as
// test/fixtures/apps/overload-instance.ts (CPU-bound: 5 ms of CPU; async: 1 ms of CPU, then 10 ms
// waiting) on bare node:http (GET /cpu, /async) and bare node:http2 speaking gRPC's framing
// (echo.v1.Echo/Say, text "cpu" or anything else), none of kratos-ts' code. Admission: a fixed cap
// on calls in flight (from the stream's or request's arrival to its close), found by a sweep; the
// excess is refused at once (429 / RESOURCE_EXHAUSTED trailers only) without reading its body.
// Env: CAP (calls in flight; 0: no limit), PACE (1: admitted handlers wait in a FIFO and run one
// per loop iteration, from a setImmediate, HOPS iterations apart; the cap then counts the queue too),
// HOPS (default 1), WORK, ASYNC_WAIT (ms, as the overload instance). Answers `{}` IPC messages with
// its counters, as the overload instance does; prints `READY <endpoints>`.
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createH2Server, type IncomingHttpHeaders, type ServerHttp2Stream } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { asyncWork, cpuWork } from '../fixtures/apps/overload-work.js';
import { exitWithParent } from '../fixtures/apps/parent-link.js';

const cap = Number(process.env['CAP'] ?? 0);
const paced = process.env['PACE'] === '1';
const hops = Math.max(1, Number(process.env['HOPS'] ?? 1));
const handle = async (cpu: boolean): Promise<void> => (cpu ? cpuWork() : asyncWork());
exitWithParent();

const stats = { ok: 0, shed: 0, failed: 0, atFront: 0 };
let served: number[] = [];
let inFlight = 0;
let maxInFlight = 0;

/** A slot for a call arriving now, or false when the cap is reached; `release` frees it, once. */
function admit(): (() => void) | undefined {
  if (cap > 0 && inFlight >= cap) {
    stats.shed++;
    stats.atFront++;
    return undefined;
  }
  inFlight++;
  maxInFlight = Math.max(maxInFlight, inFlight);
  const t0 = performance.now();
  let open = true;
  return () => {
    if (!open) return;
    open = false;
    inFlight--;
    served.push(performance.now() - t0);
  };
}

// PACE=1: one handler per loop iteration, so the loop polls its sockets between handlers.
const queue: (() => void)[] = [];
let pumping = false;
function run(start: () => void): void {
  if (!paced) return start();
  if (!pumping && queue.length === 0) {
    pumping = true;
    start();
    return later(pump);
  }
  queue.push(start);
  if (!pumping) (pumping = true), later(pump);
}
function later(fn: () => void, n = hops): void {
  setImmediate(n <= 1 ? fn : () => later(fn, n - 1));
}
function pump(): void {
  const next = queue.shift();
  if (next === undefined) return void (pumping = false);
  next();
  later(pump);
}

// HTTP/1.1: the same bodies as the overload instance's routes and its refusal.
const REFUSED = Buffer.from(JSON.stringify({ code: 429, reason: 'RATELIMIT', message: 'service unavailable due to rate limit exceeded', metadata: {} }));
const OK = Buffer.from(JSON.stringify({ ok: true }));
const http = createHttpServer((req: IncomingMessage, res: ServerResponse) => {
  const cpu = req.url === '/cpu';
  if (!cpu && req.url !== '/async') return void res.writeHead(404).end();
  const release = admit();
  if (release === undefined) return void res.writeHead(429, { 'content-type': 'application/json', 'content-length': REFUSED.length }).end(REFUSED);
  res.once('close', release);
  req.resume();
  run(() => {
    handle(cpu).then(
      () => {
        stats.ok++;
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': OK.length }).end(OK);
      },
      () => (stats.failed++, res.writeHead(500).end()),
    );
  });
});

// gRPC over bare HTTP/2: the reply as grpc-js sends it (headers, the message, trailers when nghttp2
// asks for them); the refusal trailers only, as the front door sends it.
const ignore = (): void => undefined;
const REFUSAL = { ':status': 200, 'content-type': 'application/grpc+proto', 'grpc-status': '8', 'grpc-message': encodeURI('service unavailable due to rate limit exceeded') };
// The texts are the soak's own ("cpu", "async" and the probe's short strings), under 128 bytes, so
// field 1's length is a one-byte varint both ways; a longer one is refused below rather than misread.
function reply(text: Buffer): Buffer {
  const msg = Buffer.concat([Buffer.from([0x0a, text.length]), text]);
  const frame = Buffer.alloc(5);
  frame.writeUInt32BE(msg.length, 1);
  return Buffer.concat([frame, msg]);
}
const h2 = createH2Server();
h2.on('sessionError', ignore);
h2.on('stream', (stream: ServerHttp2Stream, headers: IncomingHttpHeaders) => {
  stream.on('error', ignore);
  if (headers[':path'] !== '/echo.v1.Echo/Say') return void stream.respond({ ':status': 200, 'content-type': 'application/grpc+proto', 'grpc-status': '12' }, { endStream: true });
  const release = admit();
  if (release === undefined) return void stream.respond(REFUSAL, { endStream: true });
  stream.once('close', release);
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.once('end', () => {
    const body = Buffer.concat(chunks);
    // One length-prefixed echo.v1.Msg; its field 1 (text) is all the handlers look at.
    const text = body.length > 7 && body[5] === 0x0a ? body.subarray(7, 7 + (body[6] as number)) : Buffer.alloc(0);
    if (text.length >= 0x80 || (body[6] ?? 0) >= 0x80) return void (release(), stream.respond({ ':status': 200, 'content-type': 'application/grpc+proto', 'grpc-status': '3', 'grpc-message': 'text longer than 127 bytes' }, { endStream: true }));
    run(() => {
      handle(text.toString() === 'cpu').then(() => {
        if (stream.destroyed) return;
        stats.ok++;
        stream.respond({ ':status': 200, 'content-type': 'application/grpc+proto' }, { waitForTrailers: true });
        stream.once('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0', 'grpc-message': 'OK' }));
        stream.end(reply(text));
      }, () => (stats.failed++, stream.close()));
    });
  });
});

const listen = (s: { listen: (port: number, host: string, cb: () => void) => unknown; address: () => unknown }): Promise<number> => new Promise((r) => s.listen(0, '127.0.0.1', () => r((s.address() as AddressInfo).port)));
const [httpPort, grpcPort] = await Promise.all([listen(http), listen(h2)]);
const p99 = (xs: number[]): number => xs.sort((a, b) => a - b)[Math.floor(xs.length * 0.99)] ?? NaN;
process.on('message', () => {
  process.send?.({ ...stats, servedP99: p99(served), limiter: { inFlight, maxInFlight, cap }, rssMiB: process.memoryUsage.rss() / 2 ** 20 });
  served = [];
});
console.log(`READY http://127.0.0.1:${httpPort} grpc://127.0.0.1:${grpcPort}`);
