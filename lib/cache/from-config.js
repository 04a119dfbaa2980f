import { token } from '../container/index.js';
import { MemoryCache } from './memory-cache.js';
import { RedisCache } from './redis-cache.js';
/** The app's cache backend, injectable: `@Inject(CACHE) cache: Cache`. */
export const CACHE = token('kratos-ts/cache');
/**
 * Redis when config `data.redis.addr` is set (with `data.redis.password`, `.db`, `.timeout`,
 * `.prefix`), else an in-memory LRU of `data.cache.maxEntries` (default 10 000).
 */
export function cacheFromConfig(config) {
    const addr = config.get('data.redis.addr');
    if (addr !== undefined && addr !== '') {
        const password = config.get('data.redis.password');
        const prefix = config.get('data.redis.prefix');
        return new RedisCache({
            addr,
            ...(password === undefined || password === '' ? {} : { password }),
            ...(config.get('data.redis.db') === undefined ? {} : { db: config.value('data.redis.db').number(0) }),
            timeout: config.value('data.redis.timeout').duration(200),
            ...(prefix === undefined ? {} : { prefix }),
        });
    }
    return new MemoryCache({ maxEntries: config.value('data.cache.maxEntries').number(10_000) });
}
