// Syscalls per request of a bench server under load, counted rather than timed: each case's server
// (bench/per-call/server.mjs <group> <toggles>, or the koa / raw grpc-js peer) is loaded with the
// bench's wrk (-t1 -c50) or h2load (-c1 -m100) while `perf stat` counts its syscalls by name through the
// kernel's tracepoints; counts are divided by the requests the load tool served. epoll_pwait is one per
// turn of the event loop, so its row is turns per request (and its inverse requests per turn); task-clock
// is the server's CPU time (ms in perf's output, µs per request here), with the counting's own overhead.
//   SYSCALL_CASES='http:log,metrics,tracing;http:metrics,tracing;http koa' node bench/per-call/syscalls.mjs
//   (group:toggles, `root=<build>@group:toggles` for another build, `http=<variant>` or `<build>@http=<variant>`
//   for bench/servers/kratos.mjs <variant>, `http fastify` for bare fastify; SYSCALL_SECONDS=4)
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { grpcUnary, httpLoad, startServer, stopServer } from '../lib/load.mjs';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const SECONDS = Number(process.env.SYSCALL_SECONDS ?? 4);
const CALLS = ['epoll_wait', 'epoll_pwait', 'epoll_pwait2', 'epoll_ctl', 'read', 'write', 'writev', 'futex', 'accept4', 'close', 'getrusage', 'clock_gettime', 'mprotect', 'madvise', 'munmap', 'mmap'];
const peers = { 'http koa': ['node', join(HERE, '..', 'servers', 'http-koa.mjs')], 'http fastify': ['node', join(HERE, '..', 'servers', 'http-fastify.mjs')], 'grpc raw': ['node', join(HERE, '..', 'servers', 'grpc-raw.mjs')] };

const cases = (process.env.SYSCALL_CASES ?? 'http:log,metrics,tracing;http:metrics,tracing;http koa').split(';').filter(Boolean).map((spec) => {
  if (peers[spec] !== undefined) return { id: spec, group: spec.split(' ')[0], cmd: peers[spec] };
  const [root, rest] = spec.includes('@') ? spec.split('@') : [undefined, spec];
  // `http=<variant>`: bench/servers/kratos.mjs <variant> of this build or of `root@`.
  if (rest.startsWith('http=')) return { id: spec, group: 'http', cmd: ['node', join(resolve(root ?? join(HERE, '..', '..')), 'bench', 'servers', 'kratos.mjs'), rest.slice(5)] };
  const [group, on] = rest.split(':');
  return { id: spec, group, root, cmd: ['node', join(HERE, 'server.mjs'), group, on ?? ''] };
});

function perfStat(pid) {
  const events = ['task-clock', 'raw_syscalls:sys_enter', 'context-switches', ...CALLS.map((c) => `syscalls:sys_enter_${c}`)];
  const proc = spawn('perf', ['stat', '-x', ',', ...events.flatMap((e) => ['-e', e]), '-p', String(pid)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let text = '';
  proc.stderr.on('data', (d) => (text += d));
  return {
    async stop() {
      const done = new Promise((resolve) => proc.once('exit', resolve));
      proc.kill('SIGINT');
      await done;
      const counts = {};
      for (const line of text.split('\n')) {
        const [value, , event] = line.split(',');
        if (event !== undefined && /^[\d.]+$/.test(value)) counts[event.replace('syscalls:sys_enter_', '').replace('raw_syscalls:sys_enter', 'all syscalls')] = Number(value);
      }
      return counts;
    },
  };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const rows = [];
for (const c of cases) {
  if (c.root === undefined) delete process.env.KRATOS_ROOT;
  else process.env.KRATOS_ROOT = c.root;
  const proc = await startServer(c.cmd, '1', c.group);
  try {
    const load = c.group === 'http' ? httpLoad : grpcUnary;
    await load(2);
    const perf = perfStat(proc.pid);
    await sleep(300);
    const r = await load(SECONDS);
    await sleep(300);
    const counts = await perf.stop();
    rows.push({ id: c.id, requests: r.count, perRequest: Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, v / r.count])) });
    process.stderr.write(`${c.id}: ${r.count} requests\n`);
  } finally {
    await stopServer(proc);
  }
}
const names = ['task-clock', 'all syscalls', 'context-switches', ...CALLS].filter((n) => rows.some((r) => (r.perRequest[n] ?? 0) > 0.0005));
console.log(`| per request | ${rows.map((r) => r.id).join(' | ')} |`);
console.log(`|---|${rows.map(() => '---|').join('')}`);
console.log(`| requests counted | ${rows.map((r) => r.requests).join(' | ')} |`);
for (const n of names) console.log(`| ${n === 'task-clock' ? 'CPU µs (task-clock)' : n} | ${rows.map((r) => (n === 'task-clock' ? (r.perRequest[n] ?? 0) * 1000 : r.perRequest[n] ?? 0).toFixed(n === 'task-clock' ? 1 : 3)).join(' | ')} |`);
