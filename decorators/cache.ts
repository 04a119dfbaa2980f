import { addCacheRule, type CacheKey } from '../lib/annotations/index.js';

/** `@Cached` options. Durations are milliseconds or strings such as '5m', '30s'. */
export interface CachedOptions {
  /** The key: `'user:{0}'` puts the first argument in it, `'{0.id}'` a field of it; or `(id) => \`user:${id}\``. */
  key: CacheKey;
  /** How long a value is fresh. */
  ttl: number | string;
  /** How long "not found" (undefined, null or a 404 error) is remembered. Default 5 s; 0 disables. */
  negativeTtl?: number | string;
  /** After ttl, how long a stale value is served while one background call refreshes it. Default 0. */
  staleTtl?: number | string;
  /** TTLs vary by this fraction either way, against stampedes. Default 0.1. */
  jitter?: number;
  /** A protobufjs Type: values are stored as binary messages instead of JSON. */
  type?: unknown;
}

/**
 * Cache-aside reads for a repository method: served from the cache (the app's `CACHE`, in memory or in
 * Redis by config `data.redis.addr`), concurrent misses for one key coalesced into one call.
 */
export function Cached(options: CachedOptions): MethodDecorator {
  return (target, propertyKey) => addCacheRule(target.constructor, { propertyKey, kind: 'cached', ...options });
}

/** After the method succeeds, the entry under `key` (same syntax as `@Cached`) is evicted. */
export function CacheEvict(options: { key: CacheKey }): MethodDecorator {
  return (target, propertyKey) => addCacheRule(target.constructor, { propertyKey, kind: 'evict', key: options.key });
}
