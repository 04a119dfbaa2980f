export type { Cache } from './cache.js';
export { MemoryCache } from './memory-cache.js';
export type { MemoryCacheOptions } from './memory-cache.js';
export { RedisCache } from './redis-cache.js';
export type { RedisCacheOptions } from './redis-cache.js';
export { CacheAside } from './cache-aside.js';
export type { CacheAsideOptions, ReadPolicy } from './cache-aside.js';
export { wrapCachedMethods } from './cached-methods.js';
export { CACHE, cacheFromConfig } from './from-config.js';
