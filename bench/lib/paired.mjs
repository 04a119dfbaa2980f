// The goals' servers measured in turn, seconds apart. The main rounds run each case once a round, so
// the two sides of a goal's ratio are minutes apart, and on a shared host a slow minute of one side
// moves the ratio by 10-25 % (docs/performance.md, "Latest results"). Here the servers of goals that
// share a case are started together (all pinned to core 1, idle while another is loaded), warmed,
// then loaded one at a time in short slices, the order reversed every pass (A B C, C B A, ...), so
// that drift lands on every side of a ratio alike. Each pass gives each goal one ratio; the verdict
// is the median of the passes of every round. Rounds start new processes: two processes of one server
// differ for their whole lives (docs/performance.md, "Method"), which only more processes average out.
import { cpuMicros, grpcStream, grpcUnary, httpLoad, startServer, stopServer } from './load.mjs';
import { turned } from './pairs.mjs';
import { median } from './report.mjs';

const LOAD = { http: httpLoad, grpc: grpcUnary, stream: grpcStream };

/** One round of one group: every server up at once, warmed, then `passes` passes of `seconds` each. */
async function groupRound(group, { seconds, passes, warmup }, log) {
  const procs = [];
  try {
    for (const c of group) procs.push(await startServer(c.cmd, c.cores ?? '1', c.group));
    for (const [i, c] of group.entries()) await LOAD[c.group](warmup, procs[i].port);
    const slices = new Map(group.map((c) => [c.id, []]));
    for (let pass = 0; pass < passes; pass++) {
      const order = pass % 2 === 0 ? group.keys() : [...group.keys()].reverse();
      for (const i of order) {
        const c = group[i];
        const before = cpuMicros(procs[i].pid);
        const r = await LOAD[c.group](seconds, procs[i].port);
        slices.get(c.id)[pass] = { count: r.count, cpuUs: r.count > 0 ? (cpuMicros(procs[i].pid) - before) / r.count : undefined, errors: r.errors ?? 0 };
      }
    }
    log(group.map((c) => `${c.id} ${median(slices.get(c.id).map((s) => s.cpuUs).filter((x) => x !== undefined))?.toFixed(1)} µs`).join(', '));
    return slices;
  } finally {
    for (const p of procs) await stopServer(p);
  }
}

/**
 * Every group, `rounds` times: { id: [round][pass] { count, cpuUs, errors } }. Each round the group's
 * order (which server starts, is warmed and loaded first) turns by one: in one fixed order the server
 * started last cost more in 8 of 9 rounds on HTTP and 9 of 9 on gRPC unary (docs/performance.md,
 * "Method"), so every server takes every place in turn.
 */
export async function measurePaired(groups, options, log) {
  const out = {};
  for (let round = 1; round <= options.rounds; round++) {
    for (const fixed of groups) {
      const group = turned(fixed, round);
      const slices = await groupRound(group, options, (line) => log(`paired round ${round}/${options.rounds}: ${line}`));
      for (const [id, s] of slices) (out[id] ??= []).push(s);
    }
  }
  return out;
}
