// Overload runs for the adaptive limiter (issue 18): an instance is offered 2x and 4x its capacity,
// measured in the same run, with a CPU-bound synchronous handler and an async one, over HTTP (wrk) and
// gRPC (h2load). Reports shed rate, goodput, p99 of admitted calls (timed by a probe client alongside
// the load), the time until shedding stops once the overload ends, and the RSS peak.
import { Child, h2load, percentile, sleep, wrk, type Counters, type Generated, type ProbeTarget } from './load-tools.js';
import { ProbeProcess } from './probe-process.js';

export type Handler = 'cpu' | 'async';
export type Transport = 'http' | 'grpc';
/** Where the limiter sheds: at the servers' front door (`createApp({ limiter })`) or in the middleware (`rateLimit()`). */
export type Limit = 'front' | 'bbr';

/** One row of the overload table. */
export interface OverloadResult {
  scenario: string;
  /** Calls/s served without the limiter at saturation. */
  capacity: number;
  /** p99 of the probe's calls with no other load, ms. */
  unloadedP99: number;
  runs: { factor: number; offered: number; goodput: number; goodputPct: number; shedPct: number; p99: number; servedP99: number; probe: ProbeSpread; failed: number; rules: ShedRules; shed: number; atFront: number; paced: Paced | undefined; limiter: Counters['limiter'] }[];
  /** Seconds from the end of the overload until no call was shed any more. */
  recoveryS: number;
  /** The recovery phase's 250 ms slices that shed: when (s), calls shed and served, what the limiter read. */
  recoverySlices?: string[];
  /** Calls the recovery phase shed more than 2 s after the overload. */
  lateShed?: number;
  /** With `control`: the same phase on the same instance before any overload (what the host alone makes it shed at that rate). */
  control?: { recoveryS: number; slices: string[]; lateShed: number };
  rssPeakMiB: number;
  /** The oracle's row (bare node with a fixed cap): judged by the same goals, printed, not part of the run's verdict. */
  oracle?: true;
}

/** How many of the probe's calls were admitted, and their p90 and slowest, ms: at 4x the p99 of some fifty calls is their slowest. */
export interface ProbeSpread {
  admitted: number;
  p90: number;
  max: number;
}

/** Calls shed by each of the limiter's rules in a run. */
export interface ShedRules {
  inFlight: number;
  queued: number;
}

/** What the front door's pacer did in a run: p99 of the time calls were held, most held at once so far, held calls dropped. */
export interface Paced {
  heldP99: number;
  maxHeld: number;
  dropped: number;
}

const PROBE_RATE = 40;

function pacedIn(before: Counters, after: Counters): Paced | undefined {
  if (after.pacer === undefined) return undefined;
  return { heldP99: after.heldP99 ?? NaN, maxHeld: after.pacer['maxHeld'] ?? 0, dropped: (after.pacer['dropped'] ?? 0) - (before.pacer?.['dropped'] ?? 0) };
}

const shedBy = (c: Counters): ShedRules => ({ inFlight: Number(c.limiter?.['shedInFlight'] ?? 0), queued: Number(c.limiter?.['shedQueued'] ?? 0) });

function drive(child: Child, transport: Transport, handler: Handler, seconds: number, rate?: number): Promise<Generated> {
  if (transport === 'http') {
    const url = `${child.http}/${handler}`;
    // HTTP/1.1: enough connections that each waits ~100 ms between calls at the target rate, so the rate,
    // not the replies, paces the load. gRPC: 8 connections with up to 64 streams each, as many
    // connections as when capacity is measured (a grpc-js connection costs more than its calls).
    return rate === undefined ? wrk(url, seconds, handler === 'cpu' ? 4 : 32) : wrk(url, seconds, Math.max(8, Math.ceil(rate / 10)), rate);
  }
  return rate === undefined ? h2load(child.grpc, handler, seconds, 4, undefined, handler === 'cpu' ? 1 : 8) : h2load(child.grpc, handler, seconds, 8, rate, 64);
}

function target(child: Child, transport: Transport, handler: Handler): ProbeTarget {
  return transport === 'http' ? { http: child.http, path: `/${handler}` } : { grpc: child.grpc, text: handler };
}

const delta = (a: Counters, b: Counters): { ok: number; shed: number; failed: number; atFront: number } => ({ ok: b.ok - a.ok, shed: b.shed - a.shed, failed: b.failed - a.failed, atFront: b.atFront - a.atFront });

/** Capacity (calls/s, flat out) and the probe's p99 alone, ms, on an instance started from `app` with `env`. */
async function unloaded(prober: ProbeProcess, app: string, env: Record<string, string>, transport: Transport, handler: Handler, seconds: number): Promise<{ capacity: number; unloadedP99: number }> {
  const measure = Math.max(2, Math.round(seconds / 2));
  const plain = await Child.start(app, env);
  try {
    await drive(plain, transport, handler, 1);
    const c0 = await plain.counters();
    await drive(plain, transport, handler, measure);
    const c1 = await plain.counters();
    const p = await prober.run(target(plain, transport, handler), PROBE_RATE, measure);
    return { capacity: (c1.ok - c0.ok) / measure, unloadedP99: percentile(p.okMs, 0.99) };
  } finally {
    await plain.stop();
  }
}

/** `factors` times `capacity` for `seconds` each on a started instance, the probe alongside. */
async function loaded(prober: ProbeProcess, child: Child, transport: Transport, handler: Handler, seconds: number, capacity: number, factors: number[]): Promise<OverloadResult['runs']> {
  await drive(child, transport, handler, 1, capacity / 2);
  const runs: OverloadResult['runs'] = [];
  for (const factor of factors) {
    const before = await child.counters();
    const [, probed] = await Promise.all([drive(child, transport, handler, seconds, capacity * factor), prober.run(target(child, transport, handler), PROBE_RATE, seconds)]);
    const after = await child.counters();
    const d = delta(before, after);
    const goodput = d.ok / seconds;
    runs.push({
      factor,
      offered: Math.round(capacity * factor),
      goodput: Math.round(goodput),
      goodputPct: (100 * goodput) / capacity,
      shedPct: (100 * d.shed) / Math.max(1, d.ok + d.shed + d.failed),
      p99: percentile(probed.okMs, 0.99),
      probe: { admitted: probed.okMs.length, p90: percentile(probed.okMs, 0.9), max: percentile(probed.okMs, 1) },
      servedP99: after.servedP99 ?? NaN,
      failed: d.failed + probed.failed,
      shed: d.shed,
      atFront: d.atFront,
      rules: { inFlight: shedBy(after).inFlight - shedBy(before).inFlight, queued: shedBy(after).queued - shedBy(before).queued },
      paced: pacedIn(before, after),
      limiter: after.limiter,
    });
  }
  return runs;
}

const scenarioName = (transport: Transport, handler: Handler): string => `${transport === 'http' ? 'HTTP (wrk)' : 'gRPC (h2load)'}, ${handler === 'cpu' ? 'CPU-bound sync handler' : 'async handler'}`;

/**
 * Capacity and unloaded p99 on an instance without the limiter; then, on one with it, `factors` times
 * that capacity for `seconds` each, followed by `recoveryLoad` of the capacity while shedding is watched stop.
 * `env` goes to the limited instance (e.g. `PACE: '0'`, no pacing at the front door).
 */
export async function overload(transport: Transport, handler: Handler, seconds: number, factors: number[] = [2, 4], recoveryLoad = 0.5, limit: Limit = 'front', env: Record<string, string> = {}, control = false): Promise<OverloadResult> {
  const scenario = `${scenarioName(transport, handler)}${limit === 'bbr' ? ', in the middleware' : ''}`;
  const prober = await ProbeProcess.start();
  try {
    return await overloadProbed(prober, scenario, transport, handler, seconds, factors, recoveryLoad, limit, env, control);
  } finally {
    await prober.close();
  }
}

async function overloadProbed(prober: ProbeProcess, scenario: string, transport: Transport, handler: Handler, seconds: number, factors: number[], recoveryLoad: number, limit: Limit, env: Record<string, string>, control: boolean): Promise<OverloadResult> {
  const { capacity, unloadedP99 } = await unloaded(prober, 'overload-instance', { LIMIT: 'none' }, transport, handler, seconds);
  const child = await Child.start('overload-instance', { ...env, LIMIT: limit });
  try {
    let before: Awaited<ReturnType<typeof recovery>> | undefined;
    if (control) {
      await drive(child, transport, handler, 1, capacity / 2);
      before = await recovery(child, transport, handler, capacity * recoveryLoad);
    }
    const runs = await loaded(prober, child, transport, handler, seconds, capacity, factors);
    const { recoveryS, slices, lateShed } = await recovery(child, transport, handler, capacity * recoveryLoad);
    return { scenario, capacity: Math.round(capacity), unloadedP99, runs, recoveryS, recoverySlices: slices, lateShed, ...(before && { control: before }), rssPeakMiB: child.rssPeakMiB };
  } finally {
    await child.stop();
  }
}

/**
 * The oracle (test/soak/bare-reference.ts): bare node:http / node:http2 serving the same handlers,
 * with a fixed cap on calls in flight, one row per cap of the sweep, capacity and unloaded p99
 * measured the same way on the bare server without a cap. `pace`: admitted handlers one per loop
 * iteration (`hops` iterations apart). Recovery is not measured (a fixed cap has nothing to recover).
 */
export async function reference(transport: Transport, handler: Handler, seconds: number, caps: number[], pace = false, hops = 1, factors: number[] = [2, 4]): Promise<OverloadResult[]> {
  const app = '../../soak/bare-reference';
  const prober = await ProbeProcess.start();
  try {
    const { capacity, unloadedP99 } = await unloaded(prober, app, { CAP: '0' }, transport, handler, seconds);
    const results: OverloadResult[] = [];
    for (const cap of caps) {
      const child = await Child.start(app, { CAP: String(cap), PACE: pace ? '1' : '0', HOPS: String(hops) });
      try {
        const runs = await loaded(prober, child, transport, handler, seconds, capacity, factors);
        results.push({ scenario: `${scenarioName(transport, handler)}, bare node reference, cap ${cap}${pace ? `, paced (${hops} hop${hops > 1 ? 's' : ''})` : ''}`, capacity: Math.round(capacity), unloadedP99, runs, recoveryS: NaN, rssPeakMiB: child.rssPeakMiB, oracle: true });
      } finally {
        await child.stop();
      }
    }
    return results;
  } finally {
    await prober.close();
  }
}

// Half the capacity for 3 s right after the overload: the end of the last 250 ms slice that shed, and
// each shedding slice's figures (for the message of a check that fails: which rule, what signals).
async function recovery(child: Child, transport: Transport, handler: Handler, rate: number): Promise<{ recoveryS: number; slices: string[]; lateShed: number }> {
  const started = performance.now();
  const load = drive(child, transport, handler, 3, rate);
  let last = await child.counters();
  let recovered = 0;
  const slices: string[] = [];
  let lateShed = 0;
  while (performance.now() - started < 3000) {
    await sleep(250);
    const now = await child.counters();
    if (now.shed > last.shed) {
      recovered = (performance.now() - started) / 1000;
      if (recovered > 2) lateShed += now.shed - last.shed;
      const l = now.limiter ?? {};
      const read = (k: string): string => (typeof l[k] === 'number' ? (l[k] as number).toFixed(1) : String(l[k]));
      const rules = `in flight +${shedBy(now).inFlight - shedBy(last).inFlight}, queued +${shedBy(now).queued - shedBy(last).queued}, of which held calls at their turn +${(now.staleShed ?? 0) - (last.staleShed ?? 0)}`;
      slices.push(`${recovered.toFixed(2)} s: shed ${now.shed - last.shed} (${rules}), served ${now.ok - last.ok}, held p99 ${(now.heldP99 ?? NaN).toFixed(1)} ms; cpu ${read('cpu')} elu ${read('elu')} delay ${read('delay')} loopElu ${read('loopElu')} perCall ${read('perCall')} slack ${read('slack')} minRt ${read('minRt')} maxPass ${read('maxPass')}`);
    }
    last = now;
  }
  await load;
  return { recoveryS: recovered, slices, lateShed };
}
