// Server CPU per call of each default (access log, metrics, tracing with the sampler off) on the
// helloworld proto route, measured by switching one on at a time: `/proc/<pid>/stat` user + system
// time over the calls served, server on core 1, load (wrk or h2load) on core 0, cases interleaved
// round by round, median of the rounds. With KRATOS_BEFORE=<root of another build> every case also
// runs against that build, in the same rounds, for a before/after table (KRATOS_AFTER: the build
// measured as "after", default this checkout).
// Peers in the same rounds: `http koa` (koa 3 + @koa/router) and `grpc raw` (raw grpc-js); case ids are
// `<http|grpc> <after|before> <toggles|none>`, e.g. PER_CALL_ONLY='^grpc (after|before) (none|log,metrics,tracing)$|^grpc raw';
// `metrics,tracing` (the defaults less the access log) beside `log,metrics,tracing` gives the access log's share.
//   node bench/per-call/run.mjs            (PER_CALL_SECONDS=6, PER_CALL_ROUNDS=3, PER_CALL_ONLY=regex)
// PER_CALL_NODE_FLAGS: node flags for every server alike, the peers' included (e.g. '--single-threaded-gc',
// which node refuses in NODE_OPTIONS).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { grpcUnary, httpLoad, startServer, stopServer } from '../lib/load.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const SECONDS = Number(process.env.PER_CALL_SECONDS ?? 6);
const ROUNDS = Number(process.env.PER_CALL_ROUNDS ?? 3);
const ONLY = process.env.PER_CALL_ONLY === undefined ? undefined : new RegExp(process.env.PER_CALL_ONLY);
const BEFORE = process.env.KRATOS_BEFORE;
const TICK_US = 1e6 / 100; // USER_HZ
const NODE = ['node', ...(process.env.PER_CALL_NODE_FLAGS ?? '').split(' ').filter(Boolean)];

const builds = [['after', process.env.KRATOS_AFTER], ...(BEFORE === undefined ? [] : [['before', BEFORE]])];
const toggles = [['nothing on', ''], ['+ access log', 'log'], ['+ metrics', 'metrics'], ['+ tracing (sampler off)', 'tracing'], ['all defaults', 'log,metrics,tracing'], ['all defaults less the access log', 'metrics,tracing']];
// With BENCH_COLLECTOR (an OTLP/HTTP collector URL, e.g. bench/lib/collector.mjs): the defaults with 100 % sampled tracing.
if (process.env.BENCH_COLLECTOR !== undefined) toggles.push(['all defaults, 100 % sampled', 'log,metrics,sampled']);
// PER_CALL_EXTRA: more toggle lists, ';'-separated (e.g. 'log,metrics,sampled-none', see server.mjs).
for (const on of (process.env.PER_CALL_EXTRA ?? '').split(';').filter(Boolean)) toggles.push([on, on]);
const cases = [];
for (const group of ['http', 'grpc']) {
  for (const [build, root] of builds) for (const [label, on] of toggles) cases.push({ id: `${group} ${build} ${on || 'none'}`, group, build, root, label, on });
  cases.push(
    group === 'http'
      ? { id: 'http koa', group, build: 'peer', label: 'koa 3 + @koa/router', cmd: [...NODE, join(HERE, '..', 'servers', 'http-koa.mjs')] }
      : { id: 'grpc raw', group, build: 'peer', label: 'raw grpc-js', cmd: [...NODE, join(HERE, '..', 'servers', 'grpc-raw.mjs')] },
  );
}
const selected = cases.filter((c) => ONLY === undefined || ONLY.test(c.id));

function cpuTicks(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

async function measure(c) {
  const cmd = c.cmd ?? [...NODE, join(HERE, 'server.mjs'), c.group, c.on];
  const saved = process.env.KRATOS_ROOT;
  if (c.root === undefined) delete process.env.KRATOS_ROOT;
  else process.env.KRATOS_ROOT = c.root;
  const proc = await startServer(cmd, '1', c.group);
  if (saved === undefined) delete process.env.KRATOS_ROOT;
  else process.env.KRATOS_ROOT = saved;
  try {
    const load = c.group === 'http' ? httpLoad : grpcUnary;
    await load(2);
    const t0 = cpuTicks(proc.pid);
    const r = await load(SECONDS);
    const ticks = cpuTicks(proc.pid) - t0;
    return { rate: r.rate, usPerCall: (ticks * TICK_US) / (r.rate * SECONDS), errors: r.errors };
  } finally {
    await stopServer(proc);
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = new Map(selected.map((c) => [c.id, []]));
for (let round = 0; round < ROUNDS; round++) {
  for (const c of selected) {
    const r = await measure(c);
    results.get(c.id).push(r);
    process.stderr.write(`round ${round + 1} ${c.id}: ${r.rate.toFixed(0)}/s ${r.usPerCall.toFixed(1)} µs/call\n`);
  }
}

const summary = selected.map((c) => {
  const rs = results.get(c.id);
  return { ...c, rate: median(rs.map((r) => r.rate)), us: median(rs.map((r) => r.usPerCall)), errors: rs.reduce((n, r) => n + r.errors, 0) };
});
for (const group of ['http', 'grpc']) {
  const rows = summary.filter((s) => s.group === group);
  if (rows.length === 0) continue;
  const koa = rows.find((s) => s.build === 'peer');
  console.log(`\n${group === 'http' ? 'HTTP GET /helloworld/{name} (wrk -t1 -c50)' : 'gRPC unary SayHello (h2load -c1 -m100)'}, ${ROUNDS} rounds of ${SECONDS} s, medians\n`);
  console.log(`| build | case | calls/s | µs server CPU per call | vs nothing on |${koa === undefined ? '' : ` calls/s x ${koa.label} |`}`);
  console.log(`|---|---|---|---|---|${koa === undefined ? '' : '---|'}`);
  for (const s of rows) {
    const base = rows.find((b) => b.build === s.build && b.on === '');
    const delta = base === undefined || s === base ? '' : `${s.us - base.us >= 0 ? '+' : ''}${(s.us - base.us).toFixed(1)}`;
    console.log(`| ${s.build} | ${s.label} | ${s.rate.toFixed(0)} | ${s.us.toFixed(1)} | ${delta} |${koa === undefined ? '' : ` ${(s.rate / koa.rate).toFixed(2)} |`}${s.errors > 0 ? ` errors: ${s.errors}` : ''}`);
  }
}
