// A hung Redis (issue 18): the real redis-server is stopped with SIGSTOP, so its connections stay
// open and nothing answers. Reads through @Cached must cost no more than a miss: throughput within 2x
// of reading the backend directly, p99 within the read timeout, and Redis used again once resumed.
import { startRedis } from '../helpers/redis.js';
import { Child, sleep, wrk, type Generated } from './load-tools.js';

/** One row of the hung-Redis table. */
export interface HungRedisResult {
  scenario: string;
  /** Calls/s and p99 (ms) of each phase. */
  direct: Generated;
  healthy: Generated;
  hung: Generated;
  resumed: Generated;
  /** Hung throughput against the no-cache path, %. */
  hungPct: number;
  readTimeoutMs: number;
  rssPeakMiB: number;
}

const KEYS = 100_000;
const CONNECTIONS = 16;
const perSecond = (g: Generated, seconds: number): Generated => ({ ...g, requests: Math.round(g.requests / seconds) });

export async function hungRedis(seconds: number): Promise<HungRedisResult> {
  const redis = await startRedis();
  const child = await Child.start('cache-instance', { REDIS: redis.addr });
  let stopped = false;
  try {
    const load = (path: string): Promise<Generated> => wrk(`${child.http}${path}`, seconds, CONNECTIONS, undefined, KEYS).then((g) => perSecond(g, seconds));
    await wrk(`${child.http}/cached/`, 1, CONNECTIONS, undefined, KEYS);
    const healthy = await load('/cached/');
    await child.counters();
    redis.signal('SIGSTOP');
    stopped = true;
    // Calls in flight when Redis stopped each wait the read timeout while the breaker opens; the
    // steady state is measured after that second.
    await wrk(`${child.http}/cached/`, 1, CONNECTIONS, undefined, KEYS);
    // The no-cache path and the hung cache in alternating halves, so a busy host weighs on both alike.
    const half = Math.max(1, Math.round(seconds / 2));
    const slices: Generated[] = [];
    for (const path of ['/cached/', '/direct/', '/cached/', '/direct/']) slices.push(await wrk(`${child.http}${path}`, half, CONNECTIONS, undefined, KEYS));
    const sum = (a: Generated, b: Generated): Generated => ({ requests: Math.round((a.requests + b.requests) / (2 * half)), errors: a.errors + b.errors, p99: Math.max(a.p99 ?? 0, b.p99 ?? 0) });
    const [h1, d1, h2, d2] = slices as [Generated, Generated, Generated, Generated];
    const hung = sum(h1, h2);
    const direct = sum(d1, d2);
    await child.counters();
    redis.signal('SIGCONT');
    stopped = false;
    // The breaker probes once a second: give it that long to find Redis back.
    await sleep(1500);
    const resumed = await load('/cached/');
    await child.counters();
    return { scenario: 'Redis hung (SIGSTOP) under @Cached reads', direct, healthy, hung, resumed, hungPct: (100 * hung.requests) / direct.requests, readTimeoutMs: 200, rssPeakMiB: child.rssPeakMiB };
  } finally {
    if (stopped) redis.signal('SIGCONT');
    await child.stop();
    await redis.stop();
  }
}
