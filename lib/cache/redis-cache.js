import { lazyRequire } from '../internal/index.js';
// node-redis costs about 130 ms and 16 MiB to load: only apps configured with Redis pay for it.
const nodeRedis = lazyRequire('redis');
/**
 * Cache entries in Redis (node-redis). Commands never wait for a connection: with Redis down they
 * fail at once (no offline queue) and the client reconnects in the background, so a request pays
 * at most the command timeout before it falls back to its backend.
 */
export class RedisCache {
    name = 'redis';
    #client;
    #binary;
    #timeout;
    #prefix;
    #firstWait;
    #firstWaitOver = false;
    constructor(options) {
        const url = options.addr.includes('://') ? options.addr : `redis://${options.addr}`;
        this.#timeout = options.timeout ?? 200;
        this.#prefix = options.prefix ?? '';
        const { createClient, RESP_TYPES } = nodeRedis();
        this.#client = createClient({
            url,
            ...(options.password === undefined ? {} : { password: options.password }),
            ...(options.db === undefined ? {} : { database: options.db }),
            disableOfflineQueue: true,
            socket: { connectTimeout: 1000, reconnectStrategy: (retries) => Math.min(2000, 50 * 2 ** retries) },
        });
        // Errors surface on the commands that fail; the client's own events would otherwise crash the process.
        this.#client.on('error', () => undefined);
        this.#binary = this.#client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
    }
    async get(key) {
        await this.#ready();
        const value = await this.#bounded(this.#binary.get(this.#prefix + key));
        return value === null || value === undefined ? undefined : Buffer.isBuffer(value) ? value : Buffer.from(String(value));
    }
    async set(key, value, ttlMs) {
        const client = await this.#ready();
        await this.#bounded(client.set(this.#prefix + key, value, { PX: Math.max(1, Math.round(ttlMs)) }));
    }
    async delete(key) {
        const client = await this.#ready();
        await this.#bounded(client.del(this.#prefix + key));
    }
    async close() {
        if (this.#client.isOpen)
            await this.#client.close().catch(() => this.#client.destroy());
    }
    // Connects on first use, so an app that never reads the cache never opens a connection. Calls made
    // during that first attempt share its (bounded) wait; after it, a client that is not ready
    // (Redis down, reconnecting in the background) makes commands fail at once.
    async #ready() {
        if (this.#client.isReady)
            return this.#client;
        if (this.#firstWait === undefined) {
            const connecting = this.#client.connect();
            connecting.catch(() => undefined);
            this.#firstWait = this.#bounded(connecting).finally(() => (this.#firstWaitOver = true));
        }
        if (this.#firstWaitOver)
            throw new Error('redis is not connected');
        await this.#firstWait;
        return this.#client;
    }
    #bounded(op) {
        let timer;
        const late = new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`redis did not answer within ${this.#timeout}ms`)), this.#timeout);
        });
        return Promise.race([op, late]).finally(() => clearTimeout(timer));
    }
}
