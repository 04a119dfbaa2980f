// The goals' servers measured in turn, seconds apart. The main rounds run each case once a round, so
// the two sides of a goal's ratio are minutes apart, and on a shared host a slow minute of one side
// moves the ratio by 10-25 % (docs/performance.md, "Latest results"). Here the servers of goals that
// share a case are started together (all pinned to core 1, idle while another is loaded), warmed,
// then loaded one at a time in short slices, the order reversed every pass (A B C, C B A, ...), so
// that drift lands on every side of a ratio alike. Each pass gives each goal one ratio; the verdict
// is the median of the passes of every round. Rounds start new processes: two processes of one server
// differ for their whole lives (docs/performance.md, "Method"), which only more processes average out.
import { cpuMicros, grpcStream, grpcUnary, httpLoad, startServer, stopServer } from './load.mjs';
import { median } from './report.mjs';

const LOAD = { http: httpLoad, grpc: grpcUnary, stream: grpcStream };

/** Goals' case pairs merged into groups that share a case: each group's servers run in the same slices. */
export function pairedGroups(pairs, cases) {
  const byId = new Map(cases.map((c) => [c.id, c]));
  const groups = [];
  for (const [a, b] of pairs) {
    if (!byId.has(a) || !byId.has(b)) continue;
    const joined = groups.filter((g) => g.has(a) || g.has(b));
    const merged = new Set([a, b, ...joined.flatMap((g) => [...g])]);
    for (const g of joined) groups.splice(groups.indexOf(g), 1);
    groups.push(merged);
  }
  return groups.map((g) => [...g].map((id) => byId.get(id)));
}

const AGAIN = '-again';

/**
 * Adds to each group a second process of its baseline (the first of `baselines`, in order, that the
 * group has), whose ratio to the first is the method's own noise: 1.00 on a steady host.
 */
export function withControls(groups, baselines) {
  return groups.map((g) => {
    const base = baselines.map((id) => g.find((c) => c.id === id)).find((c) => c !== undefined);
    return base === undefined ? g : [...g, { ...base, id: `${base.id}${AGAIN}`, label: `${base.label}, a second process`, control: base.id }];
  });
}

/** Each control's ratio to its baseline (the paired ratio of two processes of the same server). */
export function controlRatios(paired) {
  return Object.keys(paired ?? {})
    .filter((id) => id.endsWith(AGAIN))
    .map((id) => ({ of: id.slice(0, -AGAIN.length), ...pairedRatio(paired, id, id.slice(0, -AGAIN.length)) }));
}

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
 * started last cost more in nearly every round (the A/A control's second process: 5-11 % on HTTP,
 * a third on gRPC unary), so every server takes every place in turn.
 */
export async function measurePaired(groups, options, log) {
  const out = {};
  for (let round = 1; round <= options.rounds; round++) {
    for (const fixed of groups) {
      const turn = (round - 1) % fixed.length;
      const group = [...fixed.slice(turn), ...fixed.slice(0, turn)];
      const slices = await groupRound(group, options, (line) => log(`paired round ${round}/${options.rounds}: ${line}`));
      for (const [id, s] of slices) (out[id] ??= []).push(s);
    }
  }
  return out;
}

/** A goal's ratio from the paired slices (b's CPU per call over a's, pass by pass), or undefined when either side did not run. */
export function pairedRatio(paired, a, b) {
  const x = paired?.[a];
  const y = paired?.[b];
  if (x === undefined || y === undefined) return undefined;
  const passes = [];
  const rounds = [];
  for (let r = 0; r < Math.min(x.length, y.length); r++) {
    let xs = 0;
    let xn = 0;
    let ys = 0;
    let yn = 0;
    for (let p = 0; p < Math.min(x[r].length, y[r].length); p++) {
      const sx = x[r][p];
      const sy = y[r][p];
      if (sx?.cpuUs === undefined || sy?.cpuUs === undefined) continue;
      passes.push(sy.cpuUs / sx.cpuUs);
      xs += sx.cpuUs * sx.count;
      xn += sx.count;
      ys += sy.cpuUs * sy.count;
      yn += sy.count;
    }
    if (xn > 0 && yn > 0) rounds.push(ys / yn / (xs / xn));
  }
  return passes.length === 0 ? undefined : { value: median(passes), passes, rounds };
}
