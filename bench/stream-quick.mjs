// Server streaming only (issue 19, streams): raw grpc-js (its handler iterates a sync generator)
// against kratos-ts with its default middleware (access log, metrics, tracing with the sampler off,
// recovery, metadata), once with an `async *` handler over that generator and once with a handler
// returning it (like for like), and both with every built-in and the ambient context off;
// interleaved round by round, server pinned to core 1 and the client to core 0, as bench/run.mjs does.
// Prints msg/s per round and the server's CPU time per message (from /proc, so it holds when other
// processes share the machine), the medians and the ratios. Needs `npm run build` and `npm --prefix bench ci` first.
//   node bench/stream-quick.mjs            (BENCH_SECONDS=5 BENCH_ROUNDS=3 by default)
//   KRATOS_BEFORE=/work/wt/base STREAM_ONLY='raw|sync$|kratos$|before' node bench/stream-quick.mjs
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HERE } from './lib/boot.mjs';
import { grpcStream, startServer, stopServer } from './lib/load.mjs';
import { median } from './lib/report.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const server = (...args) => ['node', join(HERE, 'servers', args[0]), ...args.slice(1)];
// Raw grpc-js' handler iterates a sync generator. kratos-ts' `async *` handler delegates to that
// generator (as most users write it); its sync handler returns it (as raw's does: like for like).
const CASES = [
  { id: 'stream-raw', cmd: server('grpc-raw.mjs') },
  { id: 'stream-kratos', cmd: server('kratos.mjs', 'grpc') },
  { id: 'stream-kratos-sync', cmd: server('kratos.mjs', 'grpc-sync') },
  // The floors: the same handlers with the built-in middleware and the ambient context off.
  { id: 'stream-kratos-bare', cmd: server('kratos.mjs', 'grpc-bare') },
  { id: 'stream-kratos-sync-bare', cmd: server('kratos.mjs', 'grpc-sync-bare') },
  // With KRATOS_BEFORE=<another build's root> (main's, say), its defaults rows beside this build's.
  ...(process.env.KRATOS_BEFORE === undefined ? [] : [
    { id: 'stream-kratos-sync-before', cmd: ['node', join(process.env.KRATOS_BEFORE, 'bench', 'servers', 'kratos.mjs'), 'grpc-sync'] },
    { id: 'stream-kratos-before', cmd: ['node', join(process.env.KRATOS_BEFORE, 'bench', 'servers', 'kratos.mjs'), 'grpc'] },
  ]),
].filter((c) => process.env.STREAM_ONLY === undefined || new RegExp(process.env.STREAM_ONLY).test(c.id));

// utime + stime of a process, in clock ticks (100 per second on Linux).
function cpuTicks(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

const rates = new Map(CASES.map((c) => [c.id, []]));
const cpu = new Map(CASES.map((c) => [c.id, []]));
for (let round = 1; round <= ROUNDS; round++) {
  for (const c of CASES) {
    const proc = await startServer(c.cmd, '1', 'stream');
    try {
      await grpcStream(1); // warm-up
      const before = cpuTicks(proc.pid);
      const r = await grpcStream(SECONDS);
      const usPerMessage = ((cpuTicks(proc.pid) - before) * 10_000) / (r.rate * SECONDS);
      if (r.errors > 0) throw new Error(`${c.id}: ${r.errors} stream errors`);
      rates.get(c.id).push(r.rate);
      cpu.get(c.id).push(usPerMessage);
      console.log(`round ${round}/${ROUNDS} ${c.id}: ${Math.round(r.rate)} msg/s, ${usPerMessage.toFixed(2)} µs server CPU/msg`);
    } finally {
      await stopServer(proc);
    }
  }
}
const rawRate = median(rates.get('stream-raw'));
const rawCpu = median(cpu.get('stream-raw'));
const LABELS = {
  'stream-kratos-sync': 'defaults, handler returns the sync generator (like for like: the goal row)',
  'stream-kratos': 'defaults, `async *` handler over the sync generator',
  'stream-kratos-sync-bare': 'built-ins and ambient context off, sync handler',
  'stream-kratos-bare': 'built-ins and ambient context off, `async *` handler',
  'stream-kratos-sync-before': 'KRATOS_BEFORE\'s build, defaults, sync handler',
  'stream-kratos-before': 'KRATOS_BEFORE\'s build, defaults, `async *` handler',
};
console.log(`raw grpc-js (handler iterates a sync generator): ${Math.round(rawRate)} msg/s, ${rawCpu.toFixed(2)} µs server CPU/msg`);
for (const [id, label] of Object.entries(LABELS)) {
  if (!cpu.has(id)) continue;
  const c = median(cpu.get(id));
  const r = median(rates.get(id));
  console.log(`kratos-ts ${label}: ${Math.round(r)} msg/s (${(r / rawRate).toFixed(2)}x), ${c.toFixed(2)} µs/msg: ${(rawCpu / c).toFixed(2)}x raw by CPU${id === 'stream-kratos-sync' ? ' (goal >= 0.9x)' : ''}`);
}
