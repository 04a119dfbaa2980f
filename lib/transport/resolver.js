import { FrameworkError, KratosError } from '../errors/index.js';
import { NoopLogger } from '../log/index.js';
import { createSelector, nodesFromInstances, subset } from '../selector/index.js';
const RETRY_WATCH_MS = 1000;
/**
 * Follows a service in a registry and picks a node per call (§2.4, §2.6, §11). An empty or failed
 * update keeps the last good list; calls in flight are not disturbed by updates.
 */
export class Resolver {
    #name;
    #o;
    #selector;
    #logger;
    #key = Math.random().toString(36).slice(2);
    #watcher;
    #stopped = false;
    #ready;
    #markReady;
    constructor(name, options) {
        this.#name = name;
        this.#o = options;
        this.#selector = createSelector(options.balancer ?? 'wrr');
        this.#logger = options.logger ?? new NoopLogger();
        this.#ready = new Promise((r) => (this.#markReady = r));
        void this.#loop();
    }
    /** Resolves once a first non-empty list arrived; rejects after `timeout` ms. */
    async waitReady(timeout) {
        let timer;
        const late = new Promise((_, reject) => {
            timer = setTimeout(() => reject(new KratosError(503, 'NO_AVAILABLE_NODE', `no instance of ${this.#name} within ${timeout}ms`)), timeout);
        });
        try {
            await Promise.race([this.#ready, late]);
        }
        finally {
            clearTimeout(timer);
        }
    }
    /** A node for one call; its done() must be called when the call ends. */
    pick(exclude) {
        const filters = exclude === undefined ? this.#o.filters : [...(this.#o.filters ?? []), (ns) => (ns.length > 1 ? ns.filter((n) => n.address !== exclude) : ns)];
        return this.#selector.select(filters);
    }
    get nodes() {
        return this.#selector.nodes;
    }
    async stop() {
        this.#stopped = true;
        await this.#watcher?.stop().catch(() => undefined);
    }
    async #loop() {
        while (!this.#stopped) {
            try {
                this.#watcher = await this.#o.discovery.watch(this.#name);
                while (!this.#stopped) {
                    const list = await this.#watcher.next();
                    if (this.#stopped)
                        return;
                    const chosen = subset(list, this.#key, this.#o.subsetSize ?? 25);
                    const nodes = nodesFromInstances(chosen, this.#o.schemes);
                    if (nodes.length === 0) {
                        this.#logger.log('warn', 'msg', 'discovery returned no usable instance; keeping the last list', 'service', this.#name);
                        continue;
                    }
                    this.#selector.apply(nodes);
                    this.#o.onNodes?.(nodes);
                    this.#markReady();
                }
            }
            catch (err) {
                if (this.#stopped)
                    return;
                this.#logger.log('warn', 'msg', 'discovery watch failed; retrying', 'service', this.#name, 'error', err.message);
                await this.#watcher?.stop().catch(() => undefined);
                await new Promise((r) => setTimeout(r, RETRY_WATCH_MS));
            }
        }
    }
}
/** The error for a `discovery:///` endpoint without a registry. */
export function noDiscovery(endpoint) {
    return new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', `endpoint ${endpoint} needs a registry: pass \`discovery\` (an EtcdRegistry, a MemoryRegistry, ...)`);
}
/** Whether a failure means the call never reached a server, so another node may take it. */
export function unreached(err) {
    const e = err;
    if (!KratosError.isKratosError(err))
        return false;
    if (e.code !== 503)
        return false;
    return e.reason === 'UNAVAILABLE' || e.reason === 'NO_AVAILABLE_NODE' || /ECONNREFUSED|ECONNRESET|No connection established|connect|UNAVAILABLE/i.test(String(e.message));
}
