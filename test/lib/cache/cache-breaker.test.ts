import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CacheAside, CacheBreaker, type Cache } from '../../../lib/cache/index.js';
import { PrometheusMeter } from '../../../lib/metrics/index.js';

describe('CacheBreaker', () => {
  it('should open after 5 failures in a row, let one probe through per cooldown, and close on its success', () => {
    let now = 0;
    const b = new CacheBreaker({ now: () => now });
    for (let i = 0; i < 4; i++) assert.equal(b.failure(), undefined);
    b.success();
    for (let i = 0; i < 4; i++) b.failure();
    assert.equal(b.failure(), 'opened');
    assert.equal(b.allow(), false);
    now = 1000;
    assert.equal(b.allow(), true, 'the probe');
    assert.equal(b.allow(), false, 'one probe at a time');
    assert.equal(b.failure(), undefined);
    assert.equal(b.allow(), false);
    now = 2000;
    assert.equal(b.allow(), true);
    assert.equal(b.success(), 'closed');
    assert.equal(b.allow(), true);
  });
});

// A cache whose operations hang until released, like a Redis stopped with SIGSTOP behind a timeout.
function hungCache(timeoutMs: number): Cache & { calls: number } {
  const c = {
    name: 'hung',
    calls: 0,
    async get(): Promise<Buffer | undefined> {
      c.calls++;
      await new Promise((r) => setTimeout(r, timeoutMs));
      throw new Error(`no answer within ${timeoutMs}ms`);
    },
    async set(): Promise<void> {
      c.calls++;
      await new Promise((r) => setTimeout(r, timeoutMs));
      throw new Error(`no answer within ${timeoutMs}ms`);
    },
    async delete(): Promise<void> {},
    async close(): Promise<void> {},
  };
  return c;
}

describe('CacheAside over a cache that times out', () => {
  it('should not wait for the write-back, stop calling the cache after 5 failures and count the skips', async () => {
    const cache = hungCache(50);
    const meter = new PrometheusMeter();
    const aside = new CacheAside({ cache, meter });
    const t0 = performance.now();
    // Sequential misses: each pays the read timeout until the breaker opens, never the write-back's.
    for (let i = 0; i < 20; i++) await aside.read(`k${i}`, { ttl: 1000 }, async () => i);
    const took = performance.now() - t0;
    assert.ok(took < 5 * 50 + 200, `20 reads took ${took.toFixed(0)} ms`);
    assert.ok(cache.calls <= 10, `${cache.calls} cache calls`);
    const text = await meter.metrics();
    assert.match(text, /cache_skipped_total\{cache="hung",op="get"\} 1[0-9]/);
  });
});
