import type { Etcd3, Lease, IOptions, Watcher as EtcdWatcher } from 'etcd3';
import { FrameworkError } from '../errors/index.js';
import { etcdClient } from '../internal/index.js';
import { NoopLogger, type Logger } from '../log/index.js';
import { changeWatcher } from './change-watcher.js';
import type { Discovery, Registrar, ServiceInstance, Watcher } from './registry.js';

/** Options of {@link EtcdRegistry}. */
export interface EtcdRegistryOptions {
  /** etcd endpoints, or an existing client (not closed by us). */
  endpoints?: string | string[];
  client?: Etcd3;
  /** Key prefix. Default `/microservices` (Kratos'). */
  namespace?: string;
  /** Lease TTL in seconds; an instance that stops renewing disappears after it. Default 15. */
  ttl?: number;
  /** Etcd client options (auth, TLS, dial timeout). */
  clientOptions?: Omit<IOptions, 'hosts'>;
  logger?: Logger;
}

const MAX_BACKOFF_MS = 8000;
/** Wait between attempts to make a watch again while etcd does not answer. */
const WATCH_RETRY_MS = 500;
/** Remakes of one watch closer together than this are one incident, warned about once. */
const INCIDENT_MS = 10_000;

/**
 * The etcd registry (docs/registry.md#registering): key `/{namespace}/{name}/{id}` holding the instance as JSON (Kratos' layout,
 * so Go Kratos services discover kratos-ts services and the other way round), under a lease kept alive
 * in the background. When the lease is lost (etcd restarted, network cut) the instance registers again
 * with backoff; deregister revokes the lease, which deletes the key.
 */
export class EtcdRegistry implements Registrar, Discovery {
  readonly #client: Etcd3;
  readonly #owned: boolean;
  readonly #ns: string;
  readonly #ttl: number;
  readonly #logger: Logger;
  readonly #leases = new Map<string, { lease: Lease; stopped: boolean }>();
  #lost = 0;

  constructor(options: EtcdRegistryOptions = {}) {
    if (options.client === undefined && options.endpoints === undefined) {
      throw new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', 'EtcdRegistry needs `endpoints` or `client`');
    }
    this.#client = options.client ?? etcdClient(options.endpoints as string | string[], options.clientOptions);
    this.#owned = options.client === undefined;
    this.#ns = (options.namespace ?? '/microservices').replace(/\/$/, '');
    this.#ttl = options.ttl ?? 15;
    this.#logger = options.logger ?? new NoopLogger();
  }

  #key(i: ServiceInstance): string {
    return `${this.#ns}/${i.name}/${i.id}`;
  }

  async register(instance: ServiceInstance): Promise<void> {
    const key = this.#key(instance);
    await this.#leases.get(key)?.lease.revoke().catch(() => undefined);
    const entry = { lease: this.#client.lease(this.#ttl, { autoKeepAlive: true }), stopped: false };
    this.#leases.set(key, entry);
    await entry.lease.put(key).value(JSON.stringify(instance));
    entry.lease.on('lost', (err: Error) => {
      if (entry.stopped) return;
      this.#lost++;
      this.#logger.log('warn', 'msg', 'registry lease lost; registering again', 'key', key, 'error', err.message);
      void this.#reregister(instance, entry);
    });
  }

  async #reregister(instance: ServiceInstance, old: { stopped: boolean }): Promise<void> {
    for (let attempt = 0; !old.stopped; attempt++) {
      await new Promise((r) => setTimeout(r, Math.min(MAX_BACKOFF_MS, 250 * 2 ** attempt)));
      if (old.stopped) return;
      try {
        await this.register(instance);
        this.#lost = Math.max(0, this.#lost - 1);
        this.#logger.log('info', 'msg', 'registered again', 'key', this.#key(instance));
        return;
      } catch (err) {
        this.#logger.log('warn', 'msg', 'register failed; retrying', 'key', this.#key(instance), 'error', (err as Error).message);
      }
    }
  }

  async deregister(instance: ServiceInstance): Promise<void> {
    const key = this.#key(instance);
    const entry = this.#leases.get(key);
    this.#leases.delete(key);
    if (entry === undefined) return;
    entry.stopped = true;
    await entry.lease.revoke();
  }

  async getService(name: string): Promise<ServiceInstance[]> {
    return (await this.#list(name)).instances;
  }

  // The instances and the etcd revision they were read at.
  async #list(name: string): Promise<{ instances: ServiceInstance[]; revision: number }> {
    const res = await this.#client.getAll().prefix(`${this.#ns}/${name}/`).exec();
    const instances: ServiceInstance[] = [];
    for (const kv of res.kvs) {
      try {
        const i = JSON.parse(kv.value.toString()) as ServiceInstance;
        if (i.name === name) instances.push({ ...i, metadata: i.metadata ?? {}, endpoints: i.endpoints ?? [] });
      } catch {
        // A value that is not an instance is someone else's key: skip it.
      }
    }
    return { instances, revision: Number(res.header.revision) };
  }

  /**
   * Follows `/{namespace}/{name}/`. etcd3 resumes a watch after a reconnect from the last revision it
   * saw; an etcd that lost its data (restored, or wiped and started again) counts from a lower
   * revision, so that watch would stay silent until the new history passed the old number. When a
   * re-list or the reconnected watch reports a revision below the one already seen, or etcd cancels
   * the watch (compacted history), the watch is made again from the current revision, logged once.
   */
  async watch(name: string): Promise<Watcher> {
    const prefix = `${this.#ns}/${name}/`;
    let seen = 0;
    let stopped = false;
    let remaking = false;
    // Bumped by every remake: a list asked for before it compares against a revision from the lost history.
    let generation = 0;
    let warnedAt = -Infinity;
    let current: EtcdWatcher;
    const see = (res: { header: { revision: string } }): void => {
      seen = Math.max(seen, Number(res.header.revision));
    };
    const make = async (): Promise<EtcdWatcher> => {
      const w = await this.#client.watch().prefix(prefix).create();
      w.on('put', changed).on('delete', changed);
      w.on('data', see);
      // 'connected' also fires after a reconnect: list again, as changes may have been missed.
      w.on('connected', (res: { header: { revision: string } }) => {
        const revision = Number(res.header.revision);
        if (revision < seen) void remake(`etcd revision went back from ${seen} to ${revision}`);
        else see(res);
        changed();
      });
      // Wait a little first, so an etcd that keeps cancelling watches is not asked in a tight loop.
      w.on('error', (err: Error) => void remake(`watch ended: ${err.message}`, WATCH_RETRY_MS));
      return w;
    };
    const remake = async (why: string, delayMs = 0): Promise<void> => {
      if (remaking || stopped) return;
      remaking = true;
      generation++;
      seen = 0;
      // One incident can be reported by the re-list, the reconnected watch and its cancellation alike: warn once.
      const now = Date.now();
      if (now - warnedAt > INCIDENT_MS) this.#logger.log('warn', 'msg', 'etcd lost the watched history; watching again from its current revision', 'service', name, 'reason', why);
      else this.#logger.log('debug', 'msg', 'etcd watch made again', 'service', name, 'reason', why);
      warnedAt = now;
      if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
      // The old watch may still report an error while it is cancelled: nobody must rethrow it.
      current.removeAllListeners().on('error', () => undefined);
      void current.cancel().catch(() => undefined);
      while (!stopped) {
        try {
          current = await make();
          break;
        } catch {
          await new Promise((r) => setTimeout(r, WATCH_RETRY_MS));
        }
      }
      if (stopped) void current.cancel().catch(() => undefined);
      remaking = false;
      changed();
    };
    const list = async (): Promise<ServiceInstance[]> => {
      const before = seen;
      const asked = generation;
      const { instances, revision } = await this.#list(name);
      // A remake since this list was asked for has already dealt with the loss it would report.
      if (asked !== generation) return instances;
      // Anything the watch saw before this list was asked for is at most the cluster's revision now.
      if (revision < before) void remake(`etcd revision went back from ${before} to ${revision}`);
      else seen = Math.max(seen, revision);
      return instances;
    };
    const { watcher, changed } = changeWatcher(list, async () => {
      stopped = true;
      await current.cancel().catch(() => undefined);
    });
    current = await make();
    return watcher;
  }

  /** For /readyz: down while a registration is lost and being renewed. */
  checkHealth(): { status: 'up' | 'down'; details: Record<string, unknown> } {
    return { status: this.#lost > 0 ? 'down' : 'up', details: { registered: this.#leases.size, lost: this.#lost } };
  }

  /** Stops keepalives and closes the client we made. */
  async close(): Promise<void> {
    for (const e of this.#leases.values()) {
      e.stopped = true;
      e.lease.release();
    }
    this.#leases.clear();
    if (this.#owned) this.#client.close();
  }
}
