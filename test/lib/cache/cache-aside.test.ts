import { describe, it, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import protobuf from 'protobufjs';
import { CacheAside, MemoryCache, RedisCache, type Cache } from '../../../lib/cache/index.js';
import { KratosError } from '../../../lib/errors/index.js';
import { PrometheusMeter } from '../../../lib/metrics/index.js';
import { restartablePort } from '../../helpers/ports.js';
import { startRedis, type TestRedis } from '../../helpers/redis.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// A backend that counts its calls and answers slowly, so concurrent reads overlap.
function backend(answer: (id: string) => unknown = (id) => ({ id, name: `user ${id}` })): { calls: string[]; load: (id: string) => () => Promise<unknown> } {
  const calls: string[] = [];
  return {
    calls,
    load: (id) => async () => {
      calls.push(id);
      await sleep(30);
      const v = answer(id);
      if (v instanceof Error) throw v;
      return v;
    },
  };
}

async function series(meter: PrometheusMeter, name: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const line of (await meter.metrics()).split('\n')) {
    const m = new RegExp(`^${name}\\{(.*)\\} (\\S+)$`).exec(line);
    if (m !== null) out[m[1] as string] = Number(m[2]);
  }
  return out;
}

function behavesAsCacheAside(label: string, makeCache: () => Cache | Promise<Cache>): void {
  describe(`CacheAside over ${label}`, () => {
    let cache: Cache;
    let meter: PrometheusMeter;
    let aside: CacheAside;
    beforeEach(async () => {
      cache = await makeCache();
      meter = new PrometheusMeter();
      aside = new CacheAside({ cache, meter });
    });
    afterEach(() => cache.close());

    it('should call the backend once for 100 concurrent misses of one key', async () => {
      const b = backend();
      const key = `user:${Math.random()}`;
      const replies = await Promise.all(Array.from({ length: 100 }, () => aside.read(key, { ttl: 5000 }, b.load('1'))));
      assert.equal(b.calls.length, 1);
      assert.ok(replies.every((r) => (r as { id: string }).id === '1'));
      const counts = await series(meter, 'cache_requests_total');
      assert.equal(counts[`cache="${cache.name}",result="miss"`], 1);
      assert.equal(counts[`cache="${cache.name}",result="coalesced"`], 99);
      // Then a hit, no call.
      await aside.read(key, { ttl: 5000 }, b.load('1'));
      assert.equal(b.calls.length, 1);
      assert.equal((await series(meter, 'cache_requests_total'))[`cache="${cache.name}",result="hit"`], 1);
    });

    it('should remember "not found" for the negative TTL, whether returned or thrown', async () => {
      const missing = backend(() => undefined);
      const key = `missing:${Math.random()}`;
      assert.equal(await aside.read(key, { ttl: 5000, negativeTtl: 150 }, missing.load('x')), undefined);
      assert.equal(await aside.read(key, { ttl: 5000, negativeTtl: 150 }, missing.load('x')), undefined);
      assert.equal(missing.calls.length, 1);
      await sleep(250);
      await aside.read(key, { ttl: 5000, negativeTtl: 150 }, missing.load('x'));
      assert.equal(missing.calls.length, 2);

      const gone = backend(() => new KratosError(404, 'USER_NOT_FOUND', 'no user 7'));
      const k2 = `gone:${Math.random()}`;
      for (let i = 0; i < 2; i++) {
        await assert.rejects(aside.read(k2, { ttl: 5000 }, gone.load('7')), (e: unknown) => KratosError.isKratosError(e) && e.reason === 'USER_NOT_FOUND' && e.code === 404);
      }
      assert.equal(gone.calls.length, 1);
    });

    it('should not cache other failures', async () => {
      const failing = backend(() => new KratosError(503, 'UNAVAILABLE', 'db down'));
      const key = `fail:${Math.random()}`;
      await assert.rejects(aside.read(key, { ttl: 5000 }, failing.load('1')));
      await assert.rejects(aside.read(key, { ttl: 5000 }, failing.load('1')));
      assert.equal(failing.calls.length, 2);
    });

    it('should expire values after their TTL and forget them on evict', async () => {
      const b = backend();
      const key = `ttl:${Math.random()}`;
      await aside.read(key, { ttl: 150, jitter: 0 }, b.load('1'));
      await aside.read(key, { ttl: 150, jitter: 0 }, b.load('1'));
      assert.equal(b.calls.length, 1);
      await sleep(250);
      await aside.read(key, { ttl: 150, jitter: 0 }, b.load('1'));
      assert.equal(b.calls.length, 2);
      await aside.evict(key);
      await aside.read(key, { ttl: 150, jitter: 0 }, b.load('1'));
      assert.equal(b.calls.length, 3);
    });

    it('should serve a stale value while one background call refreshes it', async () => {
      let version = 0;
      const b = backend(() => ({ version: ++version }));
      const key = `swr:${Math.random()}`;
      const policy = { ttl: 100, staleTtl: 5000, jitter: 0 };
      assert.deepEqual(await aside.read(key, policy, b.load('1')), { version: 1 });
      await sleep(150);
      const stale = await Promise.all([aside.read(key, policy, b.load('1')), aside.read(key, policy, b.load('1'))]);
      assert.deepEqual(stale, [{ version: 1 }, { version: 1 }]);
      await sleep(100);
      assert.deepEqual(await aside.read(key, policy, b.load('1')), { version: 2 });
      assert.equal(b.calls.length, 2);
    });

    it('should round-trip proto messages as binary, 64-bit integers and bytes included', async () => {
      const root = protobuf.Root.fromJSON({ nested: { User: { fields: { id: { type: 'int64', id: 1 }, name: { type: 'string', id: 2 }, avatar: { type: 'bytes', id: 3 } } } } });
      const User = root.lookupType('User');
      const key = `proto:${Math.random()}`;
      const b = backend(() => ({ id: '9007199254740993', name: 'big', avatar: Buffer.from([1, 2, 3]) }));
      await aside.read(key, { ttl: 5000, type: User }, b.load('1'));
      const cached = (await aside.read(key, { ttl: 5000, type: User }, b.load('1'))) as { id: string; name: string; avatar: Buffer };
      assert.equal(b.calls.length, 1);
      assert.equal(cached.id, '9007199254740993');
      assert.deepEqual([...cached.avatar], [1, 2, 3]);
    });
  });
}

behavesAsCacheAside('MemoryCache', () => new MemoryCache());

describe('with Redis', () => {
  let redis: TestRedis;
  before(async () => (redis = await startRedis()));
  after(() => redis.stop());

  behavesAsCacheAside('RedisCache', () => new RedisCache({ addr: redis.addr, prefix: `t${Math.random()}:` }));

  it('should let the first burst of reads wait for the one connection instead of failing over', async () => {
    const cache = new RedisCache({ addr: redis.addr, prefix: `burst${Math.random()}:` });
    const meter = new PrometheusMeter();
    const aside = new CacheAside({ cache, meter });
    const b = backend();
    try {
      await Promise.all(Array.from({ length: 100 }, () => aside.read('user:1', { ttl: 5000 }, b.load('1'))));
      assert.equal(b.calls.length, 1);
      assert.deepEqual(await series(meter, 'cache_errors_total'), {});
    } finally {
      await cache.close();
    }
  });

  it('should answer from the backend when Redis is down from the start, waiting at most the timeout once', async () => {
    const cache = new RedisCache({ addr: `127.0.0.1:${await restartablePort()}`, timeout: 200 });
    const aside = new CacheAside({ cache });
    const b = backend();
    try {
      const started = Date.now();
      for (let i = 0; i < 10; i++) assert.deepEqual(await aside.read('user:1', { ttl: 5000 }, b.load('1')), { id: '1', name: 'user 1' });
      assert.equal(b.calls.length, 10);
      assert.ok(Date.now() - started < 200 + 10 * 100, `10 reads took ${Date.now() - started} ms`);
    } finally {
      await cache.close();
    }
  });

  it('should answer from the backend while Redis is down, count and log it, and use Redis again when it is back', async () => {
    const cache = new RedisCache({ addr: redis.addr, timeout: 200 });
    const meter = new PrometheusMeter();
    const logged: unknown[][] = [];
    const logger = new (class extends (await import('../../../lib/log/index.js')).Logger {
      log(...kv: unknown[]): void {
        logged.push(kv);
      }
    })();
    const aside = new CacheAside({ cache, meter, logger });
    const b = backend();
    try {
      await aside.read('outage:1', { ttl: 60_000 }, b.load('1'));
      await aside.read('outage:1', { ttl: 60_000 }, b.load('1'));
      assert.equal(b.calls.length, 1);
      await redis.kill();
      const started = Date.now();
      for (let i = 0; i < 20; i++) assert.deepEqual(await aside.read('outage:1', { ttl: 60_000 }, b.load('1')), { id: '1', name: 'user 1' });
      assert.ok(Date.now() - started < 20 * 250, `20 reads took ${Date.now() - started} ms`);
      assert.ok(b.calls.length >= 20, 'every read went to the backend');
      const errors = await series(meter, 'cache_errors_total');
      const skipped = await series(meter, 'cache_skipped_total');
      assert.ok(Object.values(errors).reduce((a, b) => a + b, 0) >= 5, 'failures (reads and write-backs) until the breaker opened');
      assert.ok((errors['cache="redis",op="get"'] ?? 0) + (skipped['cache="redis",op="get"'] ?? 0) >= 20, 'then skipped, and counted');
      assert.ok(logged.some((kv) => kv.includes('cache unavailable; reading from the backend')));
      assert.ok(logged.some((kv) => kv.includes('cache keeps failing; skipping it and probing it once a second')));
      assert.ok(logged.length < 5, 'logged at most once a second');
      await redis.restart();
      const callsBefore = b.calls.length;
      for (let i = 0; i < 50 && b.calls.length - callsBefore < 1; i++) {
        await aside.read('outage:2', { ttl: 60_000 }, b.load('2')).catch(() => undefined);
        await sleep(100);
      }
      await sleep(300);
      const n = b.calls.length;
      await aside.read('outage:2', { ttl: 60_000 }, b.load('2'));
      await aside.read('outage:2', { ttl: 60_000 }, b.load('2'));
      assert.ok(b.calls.length <= n + 1, 'hits again once Redis is back');
    } finally {
      await cache.close();
    }
  });
});

describe('MemoryCache', () => {
  it('should hold at most maxBytes, evicting the least recently used, and skip a value larger than all of it', async () => {
    const cache = new MemoryCache({ maxBytes: 100_000 });
    const value = Buffer.alloc(15_000, 1);
    for (let i = 0; i < 50; i++) await cache.set(`k${i}`, value, 60_000);
    assert.ok(cache.bytes <= 100_000, `${cache.bytes} bytes`);
    assert.equal(cache.size, 6);
    assert.equal(await cache.get('k0'), undefined);
    assert.ok((await cache.get('k49'))?.equals(value));
    await cache.set('huge', Buffer.alloc(200_000), 60_000);
    assert.equal(await cache.get('huge'), undefined);
    assert.equal(cache.size, 6);
    await cache.delete('k49');
    assert.equal(cache.size, 5);
  });

  it('should hold 10 000 distinct 15 KB values within the default 64 MiB', async () => {
    const cache = new MemoryCache();
    for (let i = 0; i < 10_000; i++) await cache.set(`user:${i}`, Buffer.alloc(15_000, i % 256), 60_000);
    assert.ok(cache.bytes <= 64 * 1024 * 1024);
    assert.ok(cache.size > 4000 && cache.size < 4500, `${cache.size} entries`);
    await cache.close();
  });

  it('should evict the least recently used entry beyond maxEntries', async () => {
    const cache = new MemoryCache({ maxEntries: 2 });
    await cache.set('a', Buffer.from('1'), 1000);
    await cache.set('b', Buffer.from('2'), 1000);
    await cache.get('a');
    await cache.set('c', Buffer.from('3'), 1000);
    assert.equal(await cache.get('b'), undefined);
    assert.equal((await cache.get('a'))?.toString(), '1');
    assert.equal(cache.size, 2);
  });
});

describe('TTL jitter', () => {
  it('should spread TTLs within ±jitter', async () => {
    const sets: number[] = [];
    const cache: Cache = { name: 'spy', get: async () => undefined, set: async (_k, _v, ttl) => void sets.push(ttl), delete: async () => undefined, close: async () => undefined };
    let r = 0;
    const randoms = [0, 1, 0.5];
    const aside = new CacheAside({ cache, random: () => randoms[r++ % 3] as number });
    for (let i = 0; i < 3; i++) await aside.read(`j${i}`, { ttl: 1000, jitter: 0.2 }, async () => 1);
    assert.deepEqual(sets, [800, 1200, 1000]);
  });
});
