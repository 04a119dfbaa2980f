// What a server does per streamed message, counted rather than timed: each server under the stream
// bench's client (1000-message StreamHello streams, four at a time), with anatomy.mjs preloaded,
// counting between two SIGUSR2 for STREAM_ANATOMY_SECONDS; figures divided by the messages the client
// read. Async resources by type (what the AsyncLocalStorage's init hook runs for), and with
// ANATOMY_HEAP=1 the bytes allocated (sampling heap profiler, collected objects included).
//   STREAM_ANATOMY_CASES='raw;.:grpc-sync;/work/wt/base:grpc-sync' node bench/per-call/stream-anatomy.mjs
// A case is `raw` (bench/servers/grpc-raw.mjs) or <root>:<kratos.mjs variant> (that build's bench server).
import { readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { grpcStream, startServer, stopServer } from '../lib/load.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const SECONDS = Number(process.env.STREAM_ANATOMY_SECONDS ?? 4);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const cases = (process.env.STREAM_ANATOMY_CASES ?? 'raw;.:grpc-sync').split(';').filter(Boolean).map((spec) => {
  if (spec === 'raw') return { id: spec, script: join(HERE, '..', 'servers', 'grpc-raw.mjs'), args: [] };
  const [root, variant] = spec.split(':');
  return { id: spec, script: join(resolve(root), 'bench', 'servers', 'kratos.mjs'), args: [variant] };
});

const rows = [];
for (const c of cases) {
  const out = `/tmp/stream-anatomy-${process.pid}-${rows.length}.json`;
  process.env.ANATOMY_OUT = out;
  const proc = await startServer(['node', '--import', join(HERE, 'anatomy.mjs'), c.script, ...c.args], '1', 'stream');
  try {
    await grpcStream(2);
    proc.kill('SIGUSR2');
    await sleep(300);
    const r = await grpcStream(SECONDS);
    proc.kill('SIGUSR2');
    await sleep(1500);
    const { asyncInits, gc, allocated } = JSON.parse(readFileSync(out, 'utf8'));
    rmSync(out);
    const per = (n) => n / r.count;
    const inits = Object.fromEntries(Object.entries(asyncInits).map(([k, v]) => [k, Number(per(v).toFixed(3))]));
    const bytes = allocated === undefined ? undefined : per(Object.values(allocated).reduce((a, b) => a + b, 0));
    const top = allocated === undefined ? undefined : Object.entries(allocated).slice(0, 12).map(([k, v]) => `${per(v).toFixed(0)} ${k.replace(/ \S*\/(node_modules|dist)\//, ' $1/')}`);
    rows.push({ id: c.id, messages: r.count, inits, total: Object.values(inits).reduce((a, b) => a + b, 0), bytes, gc, top });
    process.stderr.write(`${c.id}: ${r.count} messages\n`);
  } finally {
    await stopServer(proc);
  }
}
for (const r of rows) console.log(JSON.stringify(r, null, 1));
