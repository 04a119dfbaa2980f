// `kratos-ts/cache`: cache-aside over memory or Redis (the decorators are in `kratos-ts/decorators`).
export { CACHE, CacheAside, MemoryCache, RedisCache, cacheFromConfig } from '../cache/index.js';
export type { Cache, ReadPolicy, MemoryCacheOptions, RedisCacheOptions, CacheAsideOptions } from '../cache/index.js';
