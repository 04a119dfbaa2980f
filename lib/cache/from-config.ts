import type { Config } from '../config/index.js';
import { token } from '../container/index.js';
import { bytes, duration, number, resolveSection, settingOf, text, type Resolved } from '../settings/index.js';
import type { Cache } from './cache.js';
import { DEFAULT_MEMORY_CACHE_BYTES, MemoryCache } from './memory-cache.js';
import { RedisCache } from './redis-cache.js';

/** The app's cache backend, injectable: `@Inject(CACHE) cache: Cache`. */
export const CACHE = token<Cache>('kratos-ts/cache');

const setting = settingOf<never>();

/** The Redis backend's settings (config `data.redis`), by the RedisCache option each sets. */
export const REDIS_SETTINGS = {
  addr: setting({ key: 'data.redis.addr', kind: text, doc: 'Redis `host:port` or `redis://` URL; set, the app cache is Redis, else in memory' }),
  password: setting({ key: 'data.redis.password', kind: text, doc: 'Redis password' }),
  db: setting({ key: 'data.redis.db', kind: number({ integer: true, min: 0 }), defaultDoc: 'the server\'s (0)', doc: 'Redis database number' }),
  timeout: setting({ key: 'data.redis.timeout', kind: duration, default: 200, doc: 'longest a Redis command may take before it counts as failed' }),
  prefix: setting({ key: 'data.redis.prefix', kind: text, doc: 'prefix of every key, so apps can share one Redis' }),
};

/** The in-memory backend's settings (config `data.cache`), by the MemoryCache option each sets. */
export const MEMORY_CACHE_SETTINGS = {
  maxBytes: setting({ key: 'data.cache.maxBytes', kind: bytes, default: DEFAULT_MEMORY_CACHE_BYTES, doc: 'most bytes the in-memory cache holds (least recently used go first)' }),
  maxEntries: setting({ key: 'data.cache.maxEntries', kind: number({ integer: true, min: 1 }), default: 100_000, doc: 'most entries the in-memory cache holds' }),
};

/** What the app cache is built from: Redis when `redis.addr` is set, else memory. */
export interface CacheSettings {
  redis: Resolved<typeof REDIS_SETTINGS>;
  memory: Resolved<typeof MEMORY_CACHE_SETTINGS>;
}

/** The settings of the app cache from config (`data.redis.*`, `data.cache.*`), checked. */
export function cacheSettings(config: Pick<Config, 'get' | 'originOf'>): CacheSettings {
  return Object.freeze({ redis: resolveSection(REDIS_SETTINGS, {}, config), memory: resolveSection(MEMORY_CACHE_SETTINGS, {}, config) });
}

/** The app's cache: Redis when its address is set, else an in-memory LRU. */
export function createCache(settings: CacheSettings): Cache {
  const { addr, ...redis } = settings.redis;
  return addr === undefined ? new MemoryCache({ ...settings.memory }) : new RedisCache({ addr, ...redis });
}

/**
 * Redis when config `data.redis.addr` is set (with `data.redis.password`, `.db`, `.timeout`,
 * `.prefix`), else an in-memory LRU bounded by `data.cache.maxBytes`
 * (default 64 MiB) and `data.cache.maxEntries` (default 100 000).
 */
export function cacheFromConfig(config: Config): Cache {
  return createCache(cacheSettings(config));
}
