// Bytes allocated per request by a bench server under the bench's load, counted rather than timed (V8's
// sampling heap profiler through anatomy.mjs, objects already collected included), in total and in the
// access log's own files (dist/lib/log, dist/lib/middleware/logging):
//   ALLOC_CASES='/work/wt/base@http:log,metrics,tracing;.@http:log,metrics,tracing;.@grpc:log,metrics,tracing'
//   node bench/per-call/allocated.mjs     (root@group:toggles as syscalls.mjs; ALLOC_SECONDS=5)
import { readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { grpcUnary, httpLoad, startServer, stopServer } from '../lib/load.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const SECONDS = Number(process.env.ALLOC_SECONDS ?? 5);
const LOG = ['/dist/lib/log/', '/dist/lib/middleware/logging/'];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const cases = (process.env.ALLOC_CASES ?? '.@http:log,metrics,tracing;.@http:metrics,tracing').split(';').filter(Boolean).map((spec) => {
  const [root, rest] = spec.split('@');
  const [group, on] = rest.split(':');
  return { id: spec, root: resolve(root), group, on: on ?? '' };
});

const rows = [];
for (const c of cases) {
  const out = `/tmp/allocated-${process.pid}-${rows.length}.json`;
  process.env.KRATOS_ROOT = c.root;
  process.env.ANATOMY_HEAP = '1';
  process.env.ANATOMY_OUT = out;
  const proc = await startServer(['node', '--import', join(HERE, 'anatomy.mjs'), join(HERE, 'server.mjs'), c.group, c.on], '1', c.group);
  try {
    const load = c.group === 'http' ? httpLoad : grpcUnary;
    await load(2);
    proc.kill('SIGUSR2');
    await sleep(300);
    const r = await load(SECONDS);
    proc.kill('SIGUSR2');
    await sleep(1500);
    const { allocated } = JSON.parse(readFileSync(out, 'utf8'));
    rmSync(out);
    let total = 0;
    let log = 0;
    const logBy = {};
    for (const [name, bytes] of Object.entries(allocated)) {
      total += bytes;
      if (LOG.some((p) => name.includes(p))) {
        log += bytes;
        const short = name.replace(/ \S*\/dist\//, ' ');
        logBy[short] = Math.round(bytes / r.count);
      }
    }
    rows.push({ id: c.id, requests: r.count, total: total / r.count, log: log / r.count, logBy });
    process.stderr.write(`${c.id}: ${r.count} requests\n`);
  } finally {
    await stopServer(proc);
  }
}
console.log('| bytes allocated per request | requests counted | all | in the access log\'s files |');
console.log('|---|---|---|---|');
for (const r of rows) console.log(`| ${r.id} | ${r.requests} | ${r.total.toFixed(0)} | ${r.log.toFixed(0)} |`);
for (const r of rows) console.log(r.id, JSON.stringify(r.logBy));
