export { MemoryCache } from './memory-cache.js';
export { RedisCache } from './redis-cache.js';
export { CacheAside } from './cache-aside.js';
export { wrapCachedMethods } from './cached-methods.js';
export { CACHE, cacheFromConfig } from './from-config.js';
