// The resilience part of `npm run soak` (issue 18): overload runs for the limiter, breaker recovery
// under sustained traffic, a hung Redis. Prints one table per kind and says whether each row met the
// goals. Runs on its own too: `node dist/test/soak/resilience-run.js`.
import { breakerRecovery, type BreakerResult } from './breaker-recovery.js';
import { hungRedis, type HungRedisResult } from './hung-redis.js';
import { pinLoad } from './load-tools.js';
import { overload, type OverloadResult } from './overload.js';

const f = (n: number, d = 0): string => (Number.isFinite(n) ? n.toFixed(d) : '-');

/** The limiter's goals: 429s for the excess, goodput ≥ 90 %, p99 ≤ 2x unloaded, recovered within 2 s. */
export function overloadPasses(r: OverloadResult): boolean {
  return r.recoveryS <= 2 && r.runs.every((x) => x.shedPct > 0 && x.goodputPct >= 90 && x.p99 <= 2 * r.unloadedP99 && x.failed === 0);
}

export function breakerPasses(r: BreakerResult): boolean {
  return r.openS <= 1 && r.healS <= 2;
}

export function hungRedisPasses(r: HungRedisResult): boolean {
  return r.hungPct >= 50 && (r.hung.p99 ?? Infinity) <= r.readTimeoutMs && r.hung.errors === 0 && r.resumed.errors === 0;
}

export async function runResilience(seconds = Number(process.env['SOAK_SECONDS'] ?? 60)): Promise<boolean> {
  const phase = Math.max(3, Math.min(10, Math.round(seconds / 6)));
  pinLoad(process.env['SOAK_PIN'] !== '0');
  const overloads: OverloadResult[] = [];
  for (const transport of ['http', 'grpc'] as const) for (const handler of ['cpu', 'async'] as const) overloads.push(await overload(transport, handler, phase));
  const breakers: BreakerResult[] = [];
  for (const transport of ['http', 'grpc'] as const) for (const rate of [50, 300]) breakers.push(await breakerRecovery(transport, rate, 2, phase, phase));
  const redis = await hungRedis(phase);

  console.log(`\n### Overload (${phase} s per run; capacity measured without the limiter in the same run)\n`);
  console.log('| scenario | capacity/s | unloaded p99 ms | load | offered/s | goodput/s | goodput % | shed % | shed in flight / queued | admitted p99 ms | recovery s | RSS peak MiB | result |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of overloads) {
    for (const x of r.runs) {
      console.log(`| ${r.scenario} | ${r.capacity} | ${f(r.unloadedP99, 1)} | ${x.factor}x | ${x.offered} | ${x.goodput} | ${f(x.goodputPct)} | ${f(x.shedPct)} | ${x.rules.inFlight} / ${x.rules.queued} | ${f(x.p99, 1)} | ${f(r.recoveryS, 2)} | ${f(r.rssPeakMiB)} | ${overloadPasses(r) ? 'pass' : 'FAIL'} |`);
    }
  }
  console.log(`\n### Client breaker under sustained traffic (backend down ${phase} s)\n`);
  console.log('| scenario | calls/s | calls | open after s | flowing again after s | reached the failing backend % | result |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of breakers) console.log(`| ${r.scenario} | ${r.rate} | ${r.calls} | ${f(r.openS, 2)} | ${f(r.healS, 2)} | ${f(r.leakedPct)} | ${breakerPasses(r) ? 'pass' : 'FAIL'} |`);
  console.log(`\n### Hung Redis (${phase} s per phase, wrk -c16, random keys out of 100 000)\n`);
  console.log('| phase | calls/s | p99 ms | errors |');
  console.log('|---|---|---|---|');
  for (const [name, g] of [['no cache', redis.direct], ['Redis healthy', redis.healthy], ['Redis SIGSTOPped', redis.hung], ['Redis resumed', redis.resumed]] as const) {
    console.log(`| ${name} | ${g.requests} | ${f(g.p99 ?? NaN, 1)} | ${g.errors} |`);
  }
  console.log(`\nHung: ${f(redis.hungPct)} % of the no-cache throughput, p99 ${f(redis.hung.p99 ?? NaN, 1)} ms (read timeout ${redis.readTimeoutMs} ms), RSS peak ${f(redis.rssPeakMiB)} MiB: ${hungRedisPasses(redis) ? 'pass' : 'FAIL'}`);
  return overloads.every(overloadPasses) && breakers.every(breakerPasses) && hungRedisPasses(redis);
}

if (process.argv[1]?.endsWith('resilience-run.js') === true) process.exit((await runResilience()) ? 0 : 1);
