// The resilience part of `npm run soak` (issue 18): overload runs for the limiter, breaker recovery
// under sustained traffic, a hung Redis. Prints one table per kind and says whether each row met the
// goals. Runs on its own too: `node dist/test/soak/resilience-run.js`. SOAK_ONLY picks runs by name
// (comma-separated, any part of `overload-http-cpu`, `overload-grpc-async`, `refusal`, `breaker`,
// `redis`); SOAK_LIMIT says where the limiter sheds in the overload runs: `front` (the servers' front
// door, default), `bbr` (the rateLimit middleware) or `both`. BBR_OPTIONS (JSON) tunes the limiter of
// the overload runs, e.g. '{"tolerance":1.5}'. Asked by name only (`reference-grpc-async` etc.), the
// oracle's runs (test/soak/bare-reference.ts: bare node serving the same handlers with a fixed cap on
// calls in flight, one row per cap of REF_CAPS, default 4,8,12,16,24 for async, 1,2,3,4 for CPU-bound;
// REF_PACE=1 runs its admitted handlers one per loop iteration, REF_HOPS apart) print beside ours,
// marked as the oracle's and left out of the exit status.
import { availableParallelism, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { breakerRecovery, type BreakerResult } from './breaker-recovery.js';
import { hungRedis, type HungRedisResult } from './hung-redis.js';
import { pinLoad } from './load-tools.js';
import { overload, reference, type Limit, type OverloadResult } from './overload.js';
import { refusalCost, type RefusalCost } from './refusal-cost.js';

const f = (n: number, d = 0): string => (Number.isFinite(n) ? n.toFixed(d) : '-');

// The bench's reading of the host's kernel work (bench/lib/host.mjs, plain JavaScript outside the
// build): where a system call or a fresh page is dear, capacity, a refusal's cost and latencies move with it.
interface HostProbe { probeHost(): object; describeHost(host: object): string }
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const hostProbe = async (): Promise<HostProbe> => (await import(pathToFileURL(join(root, 'bench', 'lib', 'host.mjs')).href)) as HostProbe;

/** The limiter's goals: 429s for the excess, goodput ≥ 90 %, p99 ≤ 2x unloaded, recovered within 2 s. */
export function overloadPasses(r: OverloadResult): boolean {
  return r.runs.every((x) => overloadMisses(r, x).length === 0);
}

/** The goals one overload run missed: `429s`, `goodput`, `p99`, `recovery`, `failures`. */
export function overloadMisses(r: OverloadResult, x: OverloadResult['runs'][number]): string[] {
  // The oracle's rows measure no recovery (NaN): a fixed cap has nothing to recover from.
  const misses: [boolean, string][] = [[x.shedPct > 0, '429s'], [x.goodputPct >= 90, 'goodput'], [x.p99 <= 2 * r.unloadedP99, 'p99'], [Number.isNaN(r.recoveryS) || r.recoveryS <= 2, 'recovery'], [x.failed === 0, 'failures']];
  return misses.filter(([met]) => !met).map(([, goal]) => goal);
}

export function breakerPasses(r: BreakerResult): boolean {
  return r.openS <= 1 && r.healS <= 2;
}

export function hungRedisPasses(r: HungRedisResult): boolean {
  return r.hungPct >= 50 && (r.hung.p99 ?? Infinity) <= r.readTimeoutMs && r.hung.errors === 0 && r.resumed.errors === 0;
}

const only = (process.env['SOAK_ONLY'] ?? '').split(',').filter((x) => x !== '');
const picked = (name: string): boolean => only.length === 0 || only.some((o) => name.includes(o));
// The oracle runs only when asked for by a name that says so.
const pickedReference = (name: string): boolean => only.some((o) => o.includes('reference') && name.includes(o));
const REF_CAPS = (handler: 'cpu' | 'async'): number[] => (process.env['REF_CAPS'] ?? (handler === 'cpu' ? '1,2,3,4' : '4,8,12,16,24')).split(',').map(Number);
const LIMITS: Record<string, Limit[]> = { front: ['front'], bbr: ['bbr'], both: ['front', 'bbr'] };

export async function runResilience(seconds = Number(process.env['SOAK_SECONDS'] ?? 60)): Promise<boolean> {
  const phase = Math.max(3, Math.min(10, Math.round(seconds / 6)));
  const loadBefore = loadavg()[0] ?? 0;
  const probe = await hostProbe();
  const host = probe.probeHost();
  // Read before pinning: pinned to one core, this process sees only that one.
  const cores = availableParallelism();
  pinLoad(process.env['SOAK_PIN'] !== '0');
  const limits = LIMITS[process.env['SOAK_LIMIT'] ?? 'front'] ?? ['front'];
  const costs: RefusalCost[] = [];
  // Alternately, twice each, so a change in the host's load shows as a spread rather than a difference.
  if (picked('refusal')) for (let i = 0; i < 2; i++) for (const transport of ['http', 'grpc'] as const) for (const limit of ['bbr', 'front'] as const) costs.push(await refusalCost(transport, limit, 3, 3000));
  const overloads: OverloadResult[] = [];
  for (const transport of ['http', 'grpc'] as const) {
    for (const handler of ['cpu', 'async'] as const) {
      for (const limit of limits) if (picked(`overload-${transport}-${handler}`)) overloads.push(await overload(transport, handler, phase, [2, 4], 0.5, limit));
      if (pickedReference(`reference-${transport}-${handler}`)) overloads.push(...(await reference(transport, handler, phase, REF_CAPS(handler), process.env['REF_PACE'] === '1', Number(process.env['REF_HOPS'] ?? 1))));
    }
  }
  const breakers: BreakerResult[] = [];
  if (picked('breaker')) for (const transport of ['http', 'grpc'] as const) for (const rate of [50, 300]) breakers.push(await breakerRecovery(transport, rate, 2, phase, phase));
  const redis = picked('redis') ? await hungRedis(phase) : undefined;

  if (costs.length > 0) {
    console.log('\n### CPU per refused call (an instance refusing everything, 3 000 calls/s for 3 s, alternating)\n');
    console.log('| transport | refused in | µs of CPU per refusal (each run) |');
    console.log('|---|---|---|');
    for (const transport of ['http', 'grpc'] as const) {
      for (const limit of ['bbr', 'front'] as const) {
        const rows = costs.filter((c) => c.transport === transport && c.limit === limit);
        console.log(`| ${transport} | ${limit === 'front' ? 'front door' : 'rateLimit middleware'} | ${rows.map((c) => f(c.usPerRefusal)).join(', ')} |`);
      }
    }
  }

  // Latencies and capacity measure the host as much as the service when other work shares its cores.
  console.log(`\nHost load average (1 min): ${loadBefore.toFixed(1)} before the runs, ${(loadavg()[0] ?? 0).toFixed(1)} after (${cores} cores)`);
  console.log(probe.describeHost(host));
  if (overloads.length > 0) printOverloads(overloads, phase);
  if (breakers.length > 0) printBreakers(breakers, phase);
  if (redis !== undefined) printRedis(redis, phase);
  // The oracle's rows say where bare Node stands, not whether kratos-ts passes: printed, not counted.
  return overloads.filter((r) => r.oracle !== true).every(overloadPasses) && breakers.every(breakerPasses) && (redis === undefined || hungRedisPasses(redis));
}

/** A row's result cell: an oracle row's misses are shown as such, so they do not read as the run failing. */
function verdict(r: OverloadResult, x: OverloadResult['runs'][number]): string {
  const misses = overloadMisses(r, x);
  if (r.oracle === true) return `oracle, not counted: ${misses.length === 0 ? 'meets the goals' : `misses ${misses.join(', ')}`}`;
  return misses.length === 0 ? 'pass' : `FAIL (${misses.join(', ')})`;
}

function printOverloads(overloads: OverloadResult[], phase: number): void {
  console.log(`\n### Overload (${phase} s per run; capacity measured without the limiter in the same run; BbrLimiter ${process.env['BBR_OPTIONS'] ?? 'defaults'})\n`);
  console.log('| scenario | capacity/s | unloaded p99 ms | load | offered/s | goodput/s | goodput % | shed % | shed at the front door % | shed in flight / queued | admitted p99 ms (probe; all calls in the instance) | recovery s | RSS peak MiB | result | held by the pacer: p99 ms, most at once, dropped |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of overloads) {
    for (const x of r.runs) {
      console.log(`| ${r.scenario} | ${r.capacity} | ${f(r.unloadedP99, 1)} | ${x.factor}x | ${x.offered} | ${x.goodput} | ${f(x.goodputPct)} | ${f(x.shedPct)} | ${f((100 * x.atFront) / Math.max(1, x.shed))} | ${x.rules.inFlight} / ${x.rules.queued} | ${f(x.p99, 1)} (${f(x.servedP99, 1)}) | ${f(r.recoveryS, 2)} | ${f(r.rssPeakMiB)} | ${verdict(r, x)} | ${x.paced === undefined ? '-' : `${f(x.paced.heldP99, 1)}, ${x.paced.maxHeld}, ${x.paced.dropped}`} |`);
    }
  }
  // The limiter's state at the end of each run: what its queue rule's limit was made of.
  const state = (l: Record<string, number | boolean> | undefined): string => (l === undefined ? '-' : ['minRt', 'perCall', 'slack', 'maxInFlight'].map((k) => `${k} ${f(Number(l[k]), 1)}`).join(', '));
  console.log('');
  for (const r of overloads) for (const x of r.runs) console.log(`- ${r.scenario} ${x.factor}x, limiter after the run: ${state(x.limiter)}; probe: ${x.probe.admitted} calls admitted, p90 ${f(x.probe.p90, 1)} ms, slowest ${f(x.probe.max, 1)} ms`);
  // Recovery watched: each 250 ms slice of the recovery phase that shed, with the rule and what the limiter read.
  for (const r of overloads) if ((r.recoverySlices ?? []).length > 0) console.log(`- ${r.scenario}, recovery's shedding slices: ${r.recoverySlices!.join('; ')}`);
}

function printBreakers(breakers: BreakerResult[], phase: number): void {
  console.log(`\n### Client breaker under sustained traffic (backend down ${phase} s)\n`);
  console.log('| scenario | calls/s | calls | open after s | flowing again after s | reached the failing backend % | result |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of breakers) console.log(`| ${r.scenario} | ${r.rate} | ${r.calls} | ${f(r.openS, 2)} | ${f(r.healS, 2)} | ${f(r.leakedPct)} | ${breakerPasses(r) ? 'pass' : 'FAIL'} |`);
}

function printRedis(redis: HungRedisResult, phase: number): void {
  console.log(`\n### Hung Redis (${phase} s per phase, wrk -c16, random keys out of 100 000)\n`);
  console.log('| phase | calls/s | p99 ms | errors |');
  console.log('|---|---|---|---|');
  for (const [name, g] of [['no cache', redis.direct], ['Redis healthy', redis.healthy], ['Redis SIGSTOPped', redis.hung], ['Redis resumed', redis.resumed]] as const) {
    console.log(`| ${name} | ${g.requests} | ${f(g.p99 ?? NaN, 1)} | ${g.errors} |`);
  }
  console.log(`\nHung: ${f(redis.hungPct)} % of the no-cache throughput, p99 ${f(redis.hung.p99 ?? NaN, 1)} ms (read timeout ${redis.readTimeoutMs} ms), RSS peak ${f(redis.rssPeakMiB)} MiB: ${hungRedisPasses(redis) ? 'pass' : 'FAIL'}`);
}

if (process.argv[1]?.endsWith('resilience-run.js') === true) process.exit((await runResilience()) ? 0 : 1);
