// What the goals' paired slices add up to (bench/lib/paired.mjs measures them): which servers share
// slices, the A/A controls, each goal's ratio. No I/O here, so test/bench/lib/pairs.test.ts reads it.
import { median } from './report.mjs';

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
    .map((id) => ({ of: id.slice(0, -AGAIN.length), ratio: pairedRatio(paired, id, id.slice(0, -AGAIN.length)) }))
    .filter((c) => c.ratio !== undefined)
    .map(({ of, ratio }) => ({ of, ...ratio }));
}

/** The group in round `round` (from 1): turned by one place a round, so every server takes every place. */
export function turned(group, round) {
  const turn = (round - 1) % group.length;
  return [...group.slice(turn), ...group.slice(0, turn)];
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
