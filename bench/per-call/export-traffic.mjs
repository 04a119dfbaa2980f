// What the OTLP export's traffic costs the server, taken apart: the bench's HTTP server with every span
// recorded and none exported (`server.mjs http log,metrics,sampled-none`) with export-standin.mjs
// preloaded, posting bodies of a given size at a given rate; beside it the real OTLP batch export
// (`log,metrics,sampled`). Server on core 1, wrk and the collector stubs (one on TCP, one on a unix
// socket; a third on TCP on core 1 for `core1` cases) on core 0, cases interleaved round by round, medians. Per request: the server's CPU (user,
// system, its main thread apart from node's and V8's other threads) and core 1's softirq time from
// /proc/stat (with no IRQ time accounting, softirq run in the server's context is charged to its
// system time: on loopback that is the receiving side's TCP work for the server's own sends).
//   TRAFFIC_CASES='none=0/36;121k/36=121000/36;30k/9=30250/9;484k/144=484000/144;121k/144=121000/144;otlp=sampled'
//   node bench/per-call/export-traffic.mjs    (TRAFFIC_SECONDS=4, TRAFFIC_ROUNDS=3)
// A case is <label>=<bytes>/<ms>[/<mode>][/unix][/core1][/fresh] (mode: one of export-posters.mjs's;
// unix: to a collector on a unix socket; core1: to a collector on the server's core) or
// <label>=sampled (the real export), <label>=sampled@<root> for another build.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { httpLoad, startServer, stopServer } from '../lib/load.mjs';
import { MODES } from './export-posters.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const SECONDS = Number(process.env.TRAFFIC_SECONDS ?? 4);
const ROUNDS = Number(process.env.TRAFFIC_ROUNDS ?? 3);
const TICK_US = 1e4; // USER_HZ 100
// TRAFFIC_IDLE=1: no load; the figures are per post (per STANDIN_MS) of an idle server.
const IDLE = process.env.TRAFFIC_IDLE === '1';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const SPEC = process.env.TRAFFIC_CASES ?? 'none=0/36;121k/36=121000/36;30k/9=30250/9;484k/144=484000/144;121k/144=121000/144;otlp=sampled';

const cases = SPEC.split(';').filter(Boolean).map((s) => {
  const [label, rest] = s.split('=');
  if (rest.startsWith('sampled')) return { label, toggles: 'log,metrics,sampled', root: rest.split('@')[1], env: {} };
  const [bytes, ms, ...flags] = rest.split('/');
  const mode = flags.find((f) => MODES.includes(f)) ?? 'otel';
  const env = { STANDIN_BYTES: bytes, STANDIN_MS: ms, STANDIN_MODE: mode, STANDIN_FRESH: flags.includes('fresh') ? '1' : '0' };
  return { label, toggles: 'log,metrics,sampled-none', standin: true, env, unix: flags.includes('unix'), core1: flags.includes('core1') };
});

function collector(socket, core = '0') {
  const env = { ...process.env, ...(socket === undefined ? {} : { COLLECTOR_SOCKET: socket }) };
  const proc = spawn('taskset', ['-c', core, 'node', join(HERE, '..', 'lib', 'collector.mjs')], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve) => proc.stdout.once('data', (d) => resolve({ proc, at: d.toString().trim() })));
}
const socketPath = `/tmp/export-traffic-${process.pid}.sock`;
rmSync(socketPath, { force: true });
const tcp = await collector();
const unix = await collector(socketPath);
const onCore1 = await collector(undefined, '1');
const collectorUrl = `http://127.0.0.1:${tcp.at}`;

const stat = (path) => {
  const s = readFileSync(path, 'utf8');
  const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
  return { user: Number(f[11]), system: Number(f[12]) };
};
// On-CPU ns of a thread (the scheduler's sum_exec_runtime: exact, where /proc/<pid>/stat counts ticks).
const onCpu = (path) => Number(readFileSync(path, 'utf8').split(' ')[0]);
function sample(pid) {
  const threads = { main: 0, other: 0 };
  for (const tid of readdirSync(`/proc/${pid}/task`)) threads[tid === String(pid) ? 'main' : 'other'] += onCpu(`/proc/${pid}/task/${tid}/schedstat`);
  const cpu1 = readFileSync('/proc/stat', 'utf8').split('\n').find((l) => l.startsWith('cpu1 ')).split(/\s+/).map(Number);
  return { proc: stat(`/proc/${pid}/stat`), threads, softirq1: cpu1[7], irq1: cpu1[6], system1: cpu1[3] };
}

async function measure(c) {
  const url = c.unix ? 'http://collector' : c.core1 ? `http://127.0.0.1:${onCore1.at}` : collectorUrl;
  const env = { ...c.env, BENCH_COLLECTOR: collectorUrl, STANDIN_URL: `${url}/v1/traces`, ...(c.unix ? { STANDIN_SOCKET: socketPath } : {}) };
  for (const k of ['STANDIN_SOCKET', 'KRATOS_ROOT']) delete process.env[k];
  Object.assign(process.env, env, c.root === undefined ? {} : { KRATOS_ROOT: c.root });
  const cmd = ['node', ...(c.standin ? ['--import', join(HERE, 'export-standin.mjs')] : []), join(HERE, 'server.mjs'), 'http', c.toggles];
  const proc = await startServer(cmd, '1', 'http');
  try {
    if (IDLE) await sleep(2000);
    else await httpLoad(2);
    const a = sample(proc.pid);
    const r = IDLE ? await sleep(SECONDS * 1000).then(() => ({ rate: 0, count: (SECONDS * 1000) / Number(c.env.STANDIN_MS ?? 36) })) : await httpLoad(SECONDS);
    const b = sample(proc.pid);
    const per = (x) => (x * TICK_US) / r.count;
    const perNs = (x) => x / 1000 / r.count;
    return {
      rate: r.rate,
      total: per(b.proc.user + b.proc.system - a.proc.user - a.proc.system),
      user: per(b.proc.user - a.proc.user),
      system: per(b.proc.system - a.proc.system),
      main: perNs(b.threads.main - a.threads.main),
      other: perNs(b.threads.other - a.threads.other),
      softirq: per(b.softirq1 - a.softirq1),
    };
  } finally {
    await stopServer(proc);
  }
}

const keys = ['rate', 'total', 'user', 'system', 'main', 'other', 'softirq'];
const results = new Map(cases.map((c) => [c.label, []]));
try {
  for (let round = 1; round <= ROUNDS; round++) {
    for (const c of cases) {
      const r = await measure(c);
      results.get(c.label).push(r);
      process.stderr.write(`round ${round} ${c.label}: ${keys.map((k) => `${k} ${r[k].toFixed(k === 'rate' ? 0 : 1)}`).join(' ')}\n`);
    }
  }
} finally {
  tcp.proc.kill('SIGTERM');
  unix.proc.kill('SIGTERM');
  onCore1.proc.kill('SIGTERM');
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`\n${ROUNDS} rounds of ${SECONDS} s (${IDLE ? 'no load' : 'wrk -t1 -c50'}), medians; µs per ${IDLE ? 'post' : 'request'} (main and other threads: on-CPU time from schedstat; the rest from ticks)\n`);
console.log('| case | requests/s | server CPU | user | system | main thread | other threads | core 1 softirq | rounds (server CPU) |');
console.log('|---|---|---|---|---|---|---|---|---|');
for (const c of cases) {
  const rs = results.get(c.label);
  const m = (k) => median(rs.map((r) => r[k])).toFixed(k === 'rate' ? 0 : 1);
  console.log(`| ${c.label} | ${keys.map(m).join(' | ')} | ${rs.map((r) => r.total.toFixed(1)).join(' / ')} |`);
}
