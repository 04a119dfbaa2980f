// The OTLP batch export's traffic without tracing: preloaded into a bench server (`node --import
// ./bench/per-call/export-standin.mjs bench/per-call/server.mjs http log,metrics,sampled-none`), it
// posts a body of STANDIN_BYTES (default 121,000: one batch of 512 spans) every STANDIN_MS (default 36)
// to STANDIN_URL (an OTLP/HTTP collector, e.g. bench/lib/collector.mjs; STANDIN_SOCKET=<path> posts to
// a collector listening on a unix socket instead). STANDIN_MODE says how (export-posters.mjs lists the
// modes; default otel, the SDK's node-http transport's shape).
// STANDIN_FRESH=1 allocates a new body per post (as an encoder does) instead of sending one buffer.
import { makePoster } from './export-posters.mjs';

const bytes = Number(process.env.STANDIN_BYTES ?? 121_000);
const every = Number(process.env.STANDIN_MS ?? 36);
const mode = process.env.STANDIN_MODE ?? 'otel';
const url = new URL(process.env.STANDIN_URL ?? `${process.env.BENCH_COLLECTOR}/v1/traces`);
const poster = makePoster(mode, url, process.env.STANDIN_SOCKET);
const shared = Buffer.alloc(bytes, 0x5a);
const body = () => (process.env.STANDIN_FRESH === '1' ? Buffer.alloc(bytes, 0x5a) : shared);
let busy = false;

function tick() {
  if (busy) return; // as the batch processor: one export at a time
  busy = true;
  poster.post(body(), () => (busy = false));
}
if (bytes > 0) setInterval(tick, every).unref();
