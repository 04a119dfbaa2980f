import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cacheFromConfig, MemoryCache } from '../../../lib/cache/index.js';
import { Config, memorySource } from '../../../lib/config/index.js';

async function configOf(tree: Record<string, unknown>): Promise<Config> {
  const c = new Config({ sources: [memorySource(tree)] });
  await c.load();
  return c;
}

describe('cacheFromConfig', () => {
  it('should bound the in-memory cache by data.cache.maxBytes', async () => {
    const cache = cacheFromConfig(await configOf({ data: { cache: { maxBytes: 50_000 } } }));
    assert.ok(cache instanceof MemoryCache);
    for (let i = 0; i < 20; i++) await cache.set(`k${i}`, Buffer.alloc(10_000), 60_000);
    assert.ok(cache.bytes <= 50_000, `${cache.bytes} bytes`);
    assert.equal(cache.size, 4);
  });

  it('should default to 64 MiB', async () => {
    const cache = cacheFromConfig(await configOf({})) as MemoryCache;
    await cache.set('big', Buffer.alloc(60 * 1024 * 1024), 60_000);
    assert.equal(cache.size, 1);
    await cache.set('big2', Buffer.alloc(10 * 1024 * 1024), 60_000);
    assert.equal(cache.size, 1, 'the older 60 MiB value made room');
    assert.equal(await cache.get('big'), undefined);
    await cache.close();
  });
});
