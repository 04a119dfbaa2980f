import type { Config } from '../config/index.js';
import { token } from '../container/index.js';
import type { Cache } from './cache.js';
import { DEFAULT_MEMORY_CACHE_BYTES, MemoryCache } from './memory-cache.js';
import { RedisCache } from './redis-cache.js';

/** The app's cache backend, injectable: `@Inject(CACHE) cache: Cache`. */
export const CACHE = token<Cache>('kratos-ts/cache');

/**
 * Redis when config `data.redis.addr` is set (with `data.redis.password`, `.db`, `.timeout`,
 * `.prefix`), else an in-memory LRU bounded by `data.cache.maxBytes`
 * (default 64 MiB) and `data.cache.maxEntries` (default 100 000).
 */
export function cacheFromConfig(config: Config): Cache {
  const addr = config.get<string>('data.redis.addr');
  if (addr !== undefined && addr !== '') {
    const password = config.get<string>('data.redis.password');
    const prefix = config.get<string>('data.redis.prefix');
    return new RedisCache({
      addr,
      ...(password === undefined || password === '' ? {} : { password }),
      ...(config.get('data.redis.db') === undefined ? {} : { db: config.value('data.redis.db').number(0) }),
      timeout: config.value('data.redis.timeout').duration(200),
      ...(prefix === undefined ? {} : { prefix }),
    });
  }
  return new MemoryCache({
    maxBytes: config.value('data.cache.maxBytes').number(DEFAULT_MEMORY_CACHE_BYTES),
    maxEntries: config.value('data.cache.maxEntries').number(100_000),
  });
}
