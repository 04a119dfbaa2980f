// Server streaming only (issue 19, streams): raw grpc-js against kratos-ts with its default middleware
// (access log, metrics, tracing with the sampler off, recovery, metadata), interleaved round by round,
// server pinned to core 1 and the client to core 0, as bench/run.mjs does. Prints msg/s per round, the
// medians and the ratio. Needs `npm run build` and `npm --prefix bench ci` first.
//   node bench/stream-quick.mjs            (BENCH_SECONDS=5 BENCH_ROUNDS=3 by default)
import { join } from 'node:path';
import { HERE } from './lib/boot.mjs';
import { grpcStream, startServer, stopServer } from './lib/load.mjs';
import { median } from './lib/report.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const server = (...args) => ['node', join(HERE, 'servers', args[0]), ...args.slice(1)];
const CASES = [
  { id: 'stream-raw', cmd: server('grpc-raw.mjs') },
  { id: 'stream-kratos', cmd: server('kratos.mjs', 'grpc') },
];

const rates = new Map(CASES.map((c) => [c.id, []]));
for (let round = 1; round <= ROUNDS; round++) {
  for (const c of CASES) {
    const proc = await startServer(c.cmd, '1', 'stream');
    try {
      await grpcStream(1); // warm-up
      const r = await grpcStream(SECONDS);
      if (r.errors > 0) throw new Error(`${c.id}: ${r.errors} stream errors`);
      rates.get(c.id).push(r.rate);
      console.log(`round ${round}/${ROUNDS} ${c.id}: ${Math.round(r.rate)} msg/s`);
    } finally {
      await stopServer(proc);
    }
  }
}
const raw = median(rates.get('stream-raw'));
const kratos = median(rates.get('stream-kratos'));
console.log(`median raw grpc-js ${Math.round(raw)} msg/s, kratos-ts defaults ${Math.round(kratos)} msg/s: ${(kratos / raw).toFixed(2)}x (goal >= 0.9x)`);
