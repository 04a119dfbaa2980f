import type * as NodeRedis from 'redis';
import { lazyRequire } from '../internal/index.js';
import type { Cache } from './cache.js';

// node-redis costs about 130 ms and 16 MiB to load: only apps configured with Redis pay for it.
const nodeRedis = lazyRequire<typeof NodeRedis>('redis');

/** Options of {@link RedisCache}. */
export interface RedisCacheOptions {
  /** `host:port` or a `redis://` URL (config `data.redis.addr`). */
  addr: string;
  password?: string;
  db?: number;
  /** Longest a command may take before it counts as failed, ms (config `data.redis.timeout`). Default 200. */
  timeout?: number;
  /** Key prefix, so several apps can share one Redis. Default none. */
  prefix?: string;
}

type Client = ReturnType<typeof NodeRedis.createClient>;

/**
 * Cache entries in Redis (node-redis). Commands never wait for a connection: with Redis down they
 * fail at once (no offline queue) and the client reconnects in the background, so a request pays
 * at most the command timeout before it falls back to its backend.
 */
export class RedisCache implements Cache {
  readonly name = 'redis';
  readonly #client: Client;
  readonly #binary: Client;
  readonly #timeout: number;
  readonly #prefix: string;
  #firstWait: Promise<unknown> | undefined;
  #firstWaitOver = false;

  constructor(options: RedisCacheOptions) {
    const url = options.addr.includes('://') ? options.addr : `redis://${options.addr}`;
    this.#timeout = options.timeout ?? 200;
    this.#prefix = options.prefix ?? '';
    const { createClient, RESP_TYPES } = nodeRedis();
    this.#client = createClient({
      url,
      ...(options.password === undefined ? {} : { password: options.password }),
      ...(options.db === undefined ? {} : { database: options.db }),
      disableOfflineQueue: true,
      socket: { connectTimeout: 1000, reconnectStrategy: (retries: number) => Math.min(2000, 50 * 2 ** retries) },
    });
    // Errors surface on the commands that fail; the client's own events would otherwise crash the process.
    this.#client.on('error', () => undefined);
    this.#binary = this.#client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer }) as unknown as Client;
  }

  async get(key: string): Promise<Buffer | undefined> {
    await this.#ready();
    const value: unknown = await this.#bounded(this.#binary.get(this.#prefix + key));
    return value === null || value === undefined ? undefined : Buffer.isBuffer(value) ? value : Buffer.from(String(value));
  }

  async set(key: string, value: Buffer, ttlMs: number): Promise<void> {
    const client = await this.#ready();
    await this.#bounded(client.set(this.#prefix + key, value, { PX: Math.max(1, Math.round(ttlMs)) }));
  }

  async delete(key: string): Promise<void> {
    const client = await this.#ready();
    await this.#bounded(client.del(this.#prefix + key));
  }

  async close(): Promise<void> {
    if (this.#client.isOpen) await this.#client.close().catch(() => this.#client.destroy());
  }

  // Connects on first use, so an app that never reads the cache never opens a connection. Calls made
  // during that first attempt share its (bounded) wait; after it, a client that is not ready
  // (Redis down, reconnecting in the background) makes commands fail at once.
  async #ready(): Promise<Client> {
    if (this.#client.isReady) return this.#client;
    if (this.#firstWait === undefined) {
      const connecting = this.#client.connect();
      connecting.catch(() => undefined);
      this.#firstWait = this.#bounded(connecting).finally(() => (this.#firstWaitOver = true));
    }
    if (this.#firstWaitOver) throw new Error('redis is not connected');
    await this.#firstWait;
    return this.#client;
  }

  #bounded<T>(op: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`redis did not answer within ${this.#timeout}ms`)), this.#timeout);
    });
    return Promise.race([op, late]).finally(() => clearTimeout(timer));
  }
}
