import { FrameworkError } from '../errors/index.js';
import { etcdClient } from '../internal/index.js';
import { NoopLogger } from '../log/index.js';
import { changeWatcher } from './change-watcher.js';
const MAX_BACKOFF_MS = 8000;
/**
 * The etcd registry (§11): key `/{namespace}/{name}/{id}` holding the instance as JSON (Kratos' layout,
 * so Go Kratos services discover kratos-ts services and the other way round), under a lease kept alive
 * in the background. When the lease is lost (etcd restarted, network cut) the instance registers again
 * with backoff; deregister revokes the lease, which deletes the key.
 */
export class EtcdRegistry {
    #client;
    #owned;
    #ns;
    #ttl;
    #logger;
    #leases = new Map();
    #lost = 0;
    constructor(options = {}) {
        if (options.client === undefined && options.endpoints === undefined) {
            throw new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', 'EtcdRegistry needs `endpoints` or `client`');
        }
        this.#client = options.client ?? etcdClient(options.endpoints, options.clientOptions);
        this.#owned = options.client === undefined;
        this.#ns = (options.namespace ?? '/microservices').replace(/\/$/, '');
        this.#ttl = options.ttl ?? 15;
        this.#logger = options.logger ?? new NoopLogger();
    }
    #key(i) {
        return `${this.#ns}/${i.name}/${i.id}`;
    }
    async register(instance) {
        const key = this.#key(instance);
        await this.#leases.get(key)?.lease.revoke().catch(() => undefined);
        const entry = { lease: this.#client.lease(this.#ttl, { autoKeepAlive: true }), stopped: false };
        this.#leases.set(key, entry);
        await entry.lease.put(key).value(JSON.stringify(instance));
        entry.lease.on('lost', (err) => {
            if (entry.stopped)
                return;
            this.#lost++;
            this.#logger.log('warn', 'msg', 'registry lease lost; registering again', 'key', key, 'error', err.message);
            void this.#reregister(instance, entry);
        });
    }
    async #reregister(instance, old) {
        for (let attempt = 0; !old.stopped; attempt++) {
            await new Promise((r) => setTimeout(r, Math.min(MAX_BACKOFF_MS, 250 * 2 ** attempt)));
            if (old.stopped)
                return;
            try {
                await this.register(instance);
                this.#lost = Math.max(0, this.#lost - 1);
                this.#logger.log('info', 'msg', 'registered again', 'key', this.#key(instance));
                return;
            }
            catch (err) {
                this.#logger.log('warn', 'msg', 'register failed; retrying', 'key', this.#key(instance), 'error', err.message);
            }
        }
    }
    async deregister(instance) {
        const key = this.#key(instance);
        const entry = this.#leases.get(key);
        this.#leases.delete(key);
        if (entry === undefined)
            return;
        entry.stopped = true;
        await entry.lease.revoke();
    }
    async getService(name) {
        const all = await this.#client.getAll().prefix(`${this.#ns}/${name}/`).strings();
        const out = [];
        for (const v of Object.values(all)) {
            try {
                const i = JSON.parse(v);
                if (i.name === name)
                    out.push({ ...i, metadata: i.metadata ?? {}, endpoints: i.endpoints ?? [] });
            }
            catch {
                // A value that is not an instance is someone else's key: skip it.
            }
        }
        return out;
    }
    async watch(name) {
        const etcdWatch = await this.#client.watch().prefix(`${this.#ns}/${name}/`).create();
        const { watcher, changed } = changeWatcher(() => this.getService(name), () => etcdWatch.cancel());
        // 'connected' also fires after a reconnect: list again, as changes may have been missed.
        etcdWatch.on('put', changed).on('delete', changed).on('connected', changed);
        etcdWatch.on('error', () => undefined);
        return watcher;
    }
    /** For /readyz: down while a registration is lost and being renewed. */
    checkHealth() {
        return { status: this.#lost > 0 ? 'down' : 'up', details: { registered: this.#leases.size, lost: this.#lost } };
    }
    /** Stops keepalives and closes the client we made. */
    async close() {
        for (const e of this.#leases.values()) {
            e.stopped = true;
            e.lease.release();
        }
        this.#leases.clear();
        if (this.#owned)
            this.#client.close();
    }
}
