import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createClient } from 'redis';
import { CacheEvict, Cached, Module, Service } from '../../../decorators/index.js';
import { createApp } from '../../../lib/app/index.js';
import { CACHE, MemoryCache, RedisCache } from '../../../lib/cache/index.js';
import { FrameworkError } from '../../../lib/errors/index.js';
import { NoopLogger } from '../../../lib/log/index.js';
import { startRedis, type TestRedis } from '../../helpers/redis.js';

const db = new Map<string, { id: string; name: string }>([['1', { id: '1', name: 'Ada' }]]);
const calls: string[] = [];

@Service()
class UserRepo {
  @Cached({ key: 'user:{0}', ttl: '1m', negativeTtl: '1s' })
  async find(id: string): Promise<{ id: string; name: string } | undefined> {
    calls.push(`find ${id}`);
    return db.get(id);
  }

  @CacheEvict({ key: 'user:{0.id}' })
  async save(user: { id: string; name: string }): Promise<void> {
    calls.push(`save ${user.id}`);
    db.set(user.id, user);
  }
}

@Module({ providers: [UserRepo], exports: [UserRepo] })
class DataModule {}

const base = { configDir: false as const, http: false as const, grpc: false as const, logger: new NoopLogger(), metrics: false as const, tracing: false as const };

describe('@Cached and @CacheEvict', () => {
  it('should read through the app cache, memory by default, and evict on save', async () => {
    calls.length = 0;
    const app = await createApp(DataModule, base);
    const repo = app.get(UserRepo);
    assert.ok(app.get(CACHE) instanceof MemoryCache);
    assert.deepEqual(await repo.find('1'), { id: '1', name: 'Ada' });
    assert.deepEqual(await repo.find('1'), { id: '1', name: 'Ada' });
    assert.equal(await repo.find('404'), undefined);
    assert.equal(await repo.find('404'), undefined);
    await repo.save({ id: '1', name: 'Grace' });
    assert.deepEqual(await repo.find('1'), { id: '1', name: 'Grace' });
    assert.deepEqual(calls, ['find 1', 'find 404', 'save 1', 'find 1']);
    await app.stop();
  });

  it('should reject a call whose cache key needs a missing argument, naming the method', async () => {
    const app = await createApp(DataModule, base);
    await assert.rejects(app.get(UserRepo).find(undefined as unknown as string), (e: unknown) => FrameworkError.isFrameworkError(e) && e.message.includes('UserRepo.find'));
    await app.stop();
  });

  describe('with config data.redis.addr', () => {
    let redis: TestRedis;
    before(async () => (redis = await startRedis()));
    after(() => redis.stop());

    it('should keep the entries in Redis', async () => {
      calls.length = 0;
      const app = await createApp(DataModule, { ...base, config: { data: { redis: { addr: redis.addr, prefix: 'app:' } } } });
      assert.ok(app.get(CACHE) instanceof RedisCache);
      await app.get(UserRepo).find('1');
      await app.get(UserRepo).find('1');
      assert.equal(calls.length, 1);
      const client = createClient({ url: `redis://${redis.addr}` });
      await client.connect();
      try {
        assert.equal(await client.exists('app:user:1'), 1);
        const ttl = await client.pTTL('app:user:1');
        assert.ok(ttl > 50_000 && ttl <= 66_000, `ttl ${ttl}`);
      } finally {
        await client.close();
        await app.stop();
      }
    });
  });
});
