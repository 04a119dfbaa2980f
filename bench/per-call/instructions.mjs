// Instructions per request of a bench server, counted by valgrind's callgrind rather than timed, so
// the figure is the same on a quiet host and a busy one (two runs of 10,000 requests agree within
// 0.2 %). Each case's server runs under callgrind with counting off; it is warmed, then counted over
// a fixed number of requests (h2load -n: HTTP/1.1 with --h1, or gRPC unary with the bench's framed
// SayHello), then dumped. With INSTR_TOP=<n>, the n functions with the most instructions of their own
// (JIT-compiled JavaScript named from V8's --perf-basic-prof map); with two or more cases, each later
// case's difference from the first, function by function.
//   INSTR_CASES='koa;.@http-proto;/work/wt/base@http-proto' node bench/per-call/instructions.mjs
//   (a case is `koa`, `fastify`, `grpc-raw`, or [root@]<variant> of that build's bench/servers/kratos.mjs;
//   INSTR_REQUESTS=10000, INSTR_WARMUP=6000, INSTR_TOP=0, INSTR_KEEP=<dir>, INSTR_CONNECTIONS=20 (HTTP),
//   INSTR_NODE_FLAGS='--perf-basic-prof' (node's flags; without that one, JIT code goes unnamed);
//   needs valgrind and h2load)
// What it cannot see: time in the kernel (syscalls, the loopback's TCP), cache and branch misses, and
// anything valgrind's 30-50x slowdown changes. Work a server amortises over wall time runs far more
// often per request under it: a timestamp formatted once a millisecond (the access log's) is
// formatted for every request, a span batch waits its 5 s for fewer spans. Compare builds of the same
// server, not the figure with a timed one.
import { execFile, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePort } from '../lib/ports.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const BENCH = join(HERE, '..');
const run = promisify(execFile);
const REQUESTS = Number(process.env.INSTR_REQUESTS ?? 10_000);
const WARMUP = Number(process.env.INSTR_WARMUP ?? 6_000);
const TOP = Number(process.env.INSTR_TOP ?? 0);
// HTTP connections: 20 keeps the server busy; 1 serves each request in a turn of its own, as an idle server does.
const CONNECTIONS = Number(process.env.INSTR_CONNECTIONS ?? 20);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const PEERS = { koa: 'http-koa.mjs', fastify: 'http-fastify.mjs', 'grpc-raw': 'grpc-raw.mjs' };

const cases = (process.env.INSTR_CASES ?? 'koa;.@http-proto').split(';').filter(Boolean).map((spec) => {
  if (PEERS[spec] !== undefined) return { id: spec, grpc: spec.startsWith('grpc'), script: join(BENCH, 'servers', PEERS[spec]), args: [] };
  const [root, variant] = spec.includes('@') ? spec.split('@') : ['.', spec];
  return { id: spec, grpc: variant.startsWith('grpc'), script: join(resolve(root), 'bench', 'servers', 'kratos.mjs'), args: [variant] };
});

/** h2load sending `n` requests; resolves with how many succeeded. */
async function load(port, grpc, n) {
  const target = grpc ? ['-c1', '-m100', '-d', join(BENCH, 'proto', 'say-hello.bin'), '-H', 'content-type: application/grpc', '-H', 'te: trailers', `http://127.0.0.1:${port}/helloworld.v1.Greeter/SayHello`] : ['--h1', `-c${Math.min(CONNECTIONS, n)}`, `http://127.0.0.1:${port}/helloworld/bench`];
  const { stdout } = await run('h2load', ['-n', String(n), ...target], { maxBuffer: 1 << 20 });
  return Number(/requests: \d+ total, \d+ started, \d+ done, (\d+) succeeded/.exec(stdout)?.[1] ?? 0);
}

// h2load rather than fetch, whose pooled connection would stay open on the server being counted.
async function answers(port, grpc) {
  return load(port, grpc, 1).then((ok) => ok === 1, () => false);
}

/** Runs one case; returns its instructions in all, the path of its callgrind dump and of its perf map. */
async function count(c, n) {
  const port = await freePort();
  const out = `/tmp/instructions-${process.pid}-${port}.cg`;
  const proc = spawn('valgrind', ['--tool=callgrind', `--callgrind-out-file=${out}`, '--instr-atstart=no', '--smc-check=all-non-file', '--dump-instr=no', 'node', ...(process.env.INSTR_NODE_FLAGS ?? '--perf-basic-prof').split(' ').filter(Boolean), c.script, ...c.args], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', openSync('/dev/null', 'w'), 'pipe'],
  });
  let stderr = '';
  proc.stderr.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  const control = (...args) => run('callgrind_control', [...args, String(proc.pid)]);
  try {
    const deadline = Date.now() + 180_000;
    while (!(await answers(port, c.grpc))) {
      if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`${c.id} did not start under valgrind: ${stderr}`);
      await sleep(500);
    }
    await load(port, c.grpc, WARMUP);
    await control('-i', 'on');
    const served = await load(port, c.grpc, n);
    await control('-i', 'off');
    await control('-d');
    if (served !== n) throw new Error(`${c.id}: ${served} of ${n} requests succeeded`);
    const dump = `${out}.1`;
    const text = readFileSync(dump, 'utf8');
    const pid = /^pid: (\d+)$/m.exec(text)?.[1];
    const total = Number(/^totals: (\d+)$/m.exec(text)?.[1] ?? NaN);
    return { total, dump, map: `/tmp/perf-${pid}.map`, cleanup: [out, dump, `/tmp/perf-${pid}.map`] };
  } finally {
    proc.kill('SIGKILL');
    await new Promise((r) => (proc.exitCode !== null ? r() : proc.once('exit', r)));
  }
}

/** Instructions of each function's own (not its callees'), JIT code named from the perf map. */
async function byFunction(dump, map) {
  const { stdout } = await run('callgrind_annotate', ['--threshold=100', dump], { maxBuffer: 1 << 28 });
  const rows = [];
  for (const line of stdout.split('\n')) {
    const m = /^\s*([\d,]+) \(\s*[\d.]+%\)\s+(.*)$/.exec(line);
    if (m === null || line.includes('PROGRAM TOTALS')) continue;
    rows.push([Number(m[1].replaceAll(',', '')), m[2]]);
  }
  const names = jitNames(rows.map(([, fn]) => /^\?\?\?:0x([0-9a-f]+) \[\?\?\?\]$/.exec(fn)?.[1]).filter(Boolean).map((h) => parseInt(h, 16)), map);
  const by = new Map();
  for (const [ir, fn] of rows) {
    const jit = /^\?\?\?:0x([0-9a-f]+) \[\?\?\?\]$/.exec(fn);
    // Paths from the build's own root on, so that the same function of two builds has one name.
    const name = (jit !== null ? `js ${names.get(parseInt(jit[1], 16)) ?? '(unnamed code)'}` : fn.replace(/^\?\?\?:/, '').replace(/\s*\[[^\]]*\]$/, '')).replace(/(?:file:\/\/)?\/\S*?\/(dist|node_modules|bench)\//, '$1/');
    by.set(name, (by.get(name) ?? 0) + ir);
  }
  return by;
}

// Code V8 wrote later at an address replaces what it wrote there before, so the map is read in order.
function jitNames(addresses, map) {
  const sorted = [...new Set(addresses)].sort((a, b) => a - b);
  const names = new Map();
  let text = '';
  try {
    text = readFileSync(map, 'utf8');
  } catch {
    return names;
  }
  for (const line of text.split('\n')) {
    const [start, size, ...name] = line.split(' ');
    if (name.length === 0) continue;
    const lo = parseInt(start, 16);
    const hi = lo + parseInt(size, 16);
    let i = lowerBound(sorted, lo);
    while (i < sorted.length && sorted[i] < hi) names.set(sorted[i++], name.join(' ').replace(/^JS:/, ''));
  }
  return names;
}

function lowerBound(sorted, v) {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const results = [];
if (process.env.INSTR_KEEP) mkdirSync(process.env.INSTR_KEEP, { recursive: true });
for (const c of cases) {
  const { total, dump, map, cleanup } = await count(c, REQUESTS);
  const functions = TOP > 0 ? await byFunction(dump, map) : new Map();
  // INSTR_KEEP=<dir>: each case's dump and perf map kept as <dir>/<n>.cg and <n>.map, for callgrind_annotate.
  if (process.env.INSTR_KEEP) for (const [from, to] of [[dump, 'cg'], [map, 'map']]) if (existsSync(from)) copyFileSync(from, join(process.env.INSTR_KEEP, `${results.length}.${to}`));
  for (const f of cleanup) rmSync(f, { force: true });
  results.push({ id: c.id, perRequest: total / REQUESTS, functions });
  process.stderr.write(`${c.id}: ${(total / REQUESTS).toFixed(0)} instructions a request\n`);
}

console.log(`\nInstructions a request (callgrind, ${REQUESTS} requests after ${WARMUP})\n`);
console.log(`| case | instructions a request | x ${results[0].id} |`);
console.log('|---|---|---|');
for (const r of results) console.log(`| ${r.id} | ${r.perRequest.toFixed(0)} | ${(results[0].perRequest / r.perRequest).toFixed(3)} |`);
const per = (ir) => (ir / REQUESTS).toFixed(0);
for (const r of results.slice(0, TOP > 0 ? results.length : 0)) {
  console.log(`\n${r.id}: the ${TOP} functions with the most instructions of their own, a request\n`);
  for (const [name, ir] of [...r.functions].sort((a, b) => b[1] - a[1]).slice(0, TOP)) console.log(`${per(ir).padStart(8)}  ${name.slice(0, 150)}`);
}
for (const r of results.slice(1)) {
  if (TOP === 0) break;
  const base = results[0].functions;
  const names = new Set([...base.keys(), ...r.functions.keys()]);
  const diffs = [...names].map((n) => [n, (r.functions.get(n) ?? 0) - (base.get(n) ?? 0)]).sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]));
  console.log(`\n${r.id} against ${results[0].id}: the ${TOP} largest differences, a request\n`);
  for (const [name, d] of diffs.slice(0, TOP)) console.log(`${(d > 0 ? '+' : '') + per(d)}`.padStart(8) + `  ${name.slice(0, 150)}`);
}
