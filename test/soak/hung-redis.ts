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
    const direct = await load('/direct/');
    const healthy = await load('/cached/');
    await child.counters();
    redis.signal('SIGSTOP');
    stopped = true;
    const hung = await load('/cached/');
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
