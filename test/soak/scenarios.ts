// The soak and fault scenarios. Each takes its durations, so `npm run soak` runs them at full length and
// the test suite runs short versions of the same code.
import { EtcdRegistry } from '../../lib/registry/index.js';
import { retry } from '../../lib/resilience/index.js';
import { createHttpClient } from '../../lib/transport/http/index.js';
import { createGrpcClient } from '../../lib/transport/grpc/index.js';
import { echoService } from '../helpers/echo-service.js';
import { startEtcd } from '../helpers/etcd.js';
import { Instance, load, sleep, type LoadResult } from './instances.js';

/** One scenario's row of the summary. */
export interface ScenarioResult extends LoadResult {
  scenario: string;
  seconds: number;
  rssStartMiB?: number;
  rssEndMiB?: number;
  growthPct?: number;
  notes: string;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

type Say = (req: { text: string }) => Promise<{ text: string }>;
const CONCURRENCY = 32;

function echoClient(endpoint: string, registry?: EtcdRegistry): { say: Say; close(): void } {
  const client = createGrpcClient(echoService(), {
    endpoint,
    ...(registry === undefined ? {} : { discovery: registry }),
    timeout: 5000,
    // Say is idempotent, so a call cut off by an instance that died is tried again on another one.
    middleware: [retry({ attempts: 4, operations: ['/echo.v1.Echo/Say'], backoff: { base: 20, max: 200 } })],
  }) as unknown as { say: Say; close(): void };
  return client;
}

// Memory is first read after a warm-up (a third of the run, at most 20 s, before the measured seconds),
// once the JIT and the heap have settled, so start-up allocations do not count as growth.
async function saturate(scenario: string, seconds: number, instance: Instance, call: () => Promise<unknown>): Promise<ScenarioResult> {
  const warmup = Math.min(20, seconds / 3);
  await load(call, CONCURRENCY, sleep(warmup * 1000));
  // RSS saws up and down with garbage collection: compare the median of the first and the last samples.
  const samples: number[] = [];
  const sampler = setInterval(() => samples.push(instance.rss()), 250);
  const result = await load(call, CONCURRENCY, sleep(seconds * 1000));
  clearInterval(sampler);
  const window = Math.max(1, Math.floor(samples.length / 5));
  const rssStartMiB = median(samples.slice(0, window));
  const rssEndMiB = median(samples.slice(-window));
  return { scenario, seconds, ...result, rssStartMiB, rssEndMiB, growthPct: (100 * (rssEndMiB - rssStartMiB)) / rssStartMiB, notes: `${CONCURRENCY} calls in flight, after a ${Math.round(warmup)} s warm-up` };
}

/** One instance kept saturated over HTTP: no errors, memory flat. */
export async function httpSaturation(seconds: number): Promise<ScenarioResult> {
  const instance = await Instance.start('http-soak');
  const client = createHttpClient({ endpoint: instance.http, timeout: 5000 });
  try {
    return await saturate('HTTP saturation', seconds, instance, () => client.invoke('GET', '/echo/soak'));
  } finally {
    client.close();
    await instance.stop();
  }
}

/** One instance kept saturated over gRPC. */
export async function grpcSaturation(seconds: number): Promise<ScenarioResult> {
  const instance = await Instance.start('grpc-soak');
  const client = echoClient(instance.grpc);
  try {
    return await saturate('gRPC saturation', seconds, instance, () => client.say({ text: 'soak' }));
  } finally {
    client.close();
    await instance.stop();
  }
}

// Two instances registered in a real etcd and a client on discovery:///soak, for the fault scenarios.
async function fleet(run: (ctx: { etcd: Awaited<ReturnType<typeof startEtcd>>; env: Record<string, string>; a: Instance; b: Instance; say: Say; seen: Set<string> }) => Promise<ScenarioResult>): Promise<ScenarioResult> {
  const etcd = await startEtcd();
  const env = { ETCD: etcd.endpoint, TTL: '3' };
  const [a, b] = await Promise.all([Instance.start('soak-a', env), Instance.start('soak-b', env)]);
  const registry = new EtcdRegistry({ endpoints: etcd.endpoint });
  const client = echoClient('discovery:///soak', registry);
  const seen = new Set<string>();
  const say: Say = async (req) => {
    const reply = await client.say(req);
    seen.add(reply.text.split(':')[0] as string);
    return reply;
  };
  const started: Instance[] = [a, b];
  try {
    return await run({ etcd, env, a, b, say, seen });
  } finally {
    client.close();
    await registry.close();
    await Promise.all(started.map((i) => i.kill()));
    await etcd.stop();
  }
}

/** Both instances restarted one after the other (SIGTERM, start again) while the client calls them. */
export function rollingRestart(seconds: number): Promise<ScenarioResult> {
  return fleet(async ({ env, a, b, say }) => {
    const replaced: Instance[] = [];
    const restarts = (async () => {
      for (const old of [a, b]) {
        await sleep((seconds * 1000) / 4);
        await old.stop();
        replaced.push(await Instance.start(old.id, env));
      }
      await sleep((seconds * 1000) / 4);
    })();
    try {
      const result = await load(() => say({ text: 'roll' }), CONCURRENCY, restarts);
      return { scenario: 'rolling restart of 2 instances', seconds, ...result, notes: 'SIGTERM, drain, start again, one at a time' };
    } finally {
      await Promise.all(replaced.map((i) => i.kill()));
    }
  });
}

/** One of two instances SIGKILLed under load: cut-off calls are retried on the other. */
export function instanceKilled(seconds: number): Promise<ScenarioResult> {
  return fleet(async ({ a, say }) => {
    const fault = (async () => {
      await sleep((seconds * 1000) / 3);
      await a.kill();
      await sleep((seconds * 2000) / 3);
    })();
    const result = await load(() => say({ text: 'kill' }), CONCURRENCY, fault);
    return { scenario: 'SIGKILL of 1 of 2 instances', seconds, ...result, notes: 'retry middleware, Say listed as idempotent' };
  });
}

/**
 * etcd stopped for `outage` seconds under load: calls go on against the last known instances, which
 * register again when etcd is back; a client that starts afterwards finds both.
 */
export function etcdOutage(seconds: number, outage: number): Promise<ScenarioResult> {
  return fleet(async ({ etcd, say }) => {
    const fault = (async () => {
      await sleep(((seconds - outage) * 1000) / 3);
      await etcd.kill();
      await sleep(outage * 1000);
      await etcd.restart();
      await sleep(((seconds - outage) * 2000) / 3);
    })();
    const result = await load(() => say({ text: 'outage' }), CONCURRENCY, fault);
    const fresh = await reRegistered(etcd.endpoint);
    return { scenario: `etcd stopped ${outage} s`, seconds, ...result, failed: result.failed + (fresh ? 0 : 1), notes: fresh ? 'both instances registered again after the restart' : 'instances did NOT register again' };
  });
}

// A new client after etcd came back must see both instances (they re-registered with backoff).
async function reRegistered(endpoint: string): Promise<boolean> {
  const registry = new EtcdRegistry({ endpoints: endpoint });
  try {
    for (let i = 0; i < 100; i++) {
      const found = await registry.getService('soak').catch(() => []);
      if (found.length === 2) return true;
      await sleep(100);
    }
    return false;
  } finally {
    await registry.close();
  }
}
