import { FrameworkError, KratosError } from '../errors/index.js';
import { NoopLogger, type Logger } from '../log/index.js';
import type { Discovery, Watcher } from '../registry/index.js';
import { createSelector, nodesFromInstances, subset, type Balancer, type DoneFunc, type Node, type NodeFilter, type Selector } from '../selector/index.js';

/** Options of {@link Resolver}: how a client follows `discovery:///name`. */
export interface ResolverOptions {
  discovery: Discovery;
  /** Endpoint schemes this client speaks (`grpc`/`grpcs`, `http`/`https`). */
  schemes: string[];
  balancer?: Balancer;
  /** Filters applied on every pick (version, metadata, custom). */
  filters?: NodeFilter[];
  /** Keep at most this many instances (consistent-hash subset per client; docs/registry.md#balancers-and-filters default 25). 0 disables. */
  subsetSize?: number;
  logger?: Logger;
  /** Told when the node set changes (to close channels of nodes that left). */
  onNodes?: (nodes: readonly Node[]) => void;
}

const RETRY_WATCH_MS = 1000;

/**
 * Follows a service in a registry and picks a node per call (docs/registry.md#discovering, docs/registry.md#balancers-and-filters). An empty or failed
 * update keeps the last good list; calls in flight are not disturbed by updates.
 */
export class Resolver {
  readonly #name: string;
  readonly #o: ResolverOptions;
  readonly #selector: Selector;
  readonly #logger: Logger;
  readonly #key = Math.random().toString(36).slice(2);
  #watcher: Watcher | undefined;
  #stopped = false;
  #ready: Promise<void>;
  #markReady!: () => void;

  constructor(name: string, options: ResolverOptions) {
    this.#name = name;
    this.#o = options;
    this.#selector = createSelector(options.balancer ?? 'wrr');
    this.#logger = options.logger ?? new NoopLogger();
    this.#ready = new Promise((r) => (this.#markReady = r));
    void this.#loop();
  }

  /** Resolves once a first non-empty list arrived; rejects after `timeout` ms. */
  async waitReady(timeout: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(markUnreached(new KratosError(503, 'NO_AVAILABLE_NODE', `no instance of ${this.#name} within ${timeout}ms`))), timeout);
    });
    try {
      await Promise.race([this.#ready, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * A node for one call, avoiding nodes known down and the addresses in `tried`; its done() must be
   * called when the call ends. No node at all is a 503 NO_AVAILABLE_NODE marked as never sent.
   */
  pick(tried?: ReadonlySet<string>): { node: Node; done: DoneFunc } {
    try {
      return this.#selector.select(this.#o.filters, tried);
    } catch (err) {
      throw KratosError.isKratosError(err) ? markUnreached(err) : err;
    }
  }

  /** Takes `address` out of the pick set (its connection is known dead); logged once per change. */
  markDown(address: string, why: string): void {
    if (this.#selector.isDown(address) || !this.#selector.nodes.some((n) => n.address === address)) return;
    this.#selector.markDown(address);
    this.#logger.log('warn', 'msg', 'instance unreachable; not picked until a reconnect succeeds', 'service', this.#name, 'address', address, 'reason', why);
  }

  /** Puts `address` back into the pick set; logged once per change. */
  markUp(address: string): void {
    if (!this.#selector.isDown(address)) return;
    this.#selector.markUp(address);
    this.#logger.log('info', 'msg', 'instance reachable again', 'service', this.#name, 'address', address);
  }

  isDown(address: string): boolean {
    return this.#selector.isDown(address);
  }

  get nodes(): readonly Node[] {
    return this.#selector.nodes;
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.#watcher?.stop().catch(() => undefined);
  }

  async #loop(): Promise<void> {
    while (!this.#stopped) {
      try {
        this.#watcher = await this.#o.discovery.watch(this.#name);
        while (!this.#stopped) {
          const list = await this.#watcher.next();
          if (this.#stopped) return;
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
      } catch (err) {
        if (this.#stopped) return;
        this.#logger.log('warn', 'msg', 'discovery watch failed; retrying', 'service', this.#name, 'error', (err as Error).message);
        await this.#watcher?.stop().catch(() => undefined);
        await new Promise((r) => setTimeout(r, RETRY_WATCH_MS));
      }
    }
  }
}

/** The error for a `discovery:///` endpoint without a registry. */
export function noDiscovery(endpoint: string): FrameworkError {
  return new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', `endpoint ${endpoint} needs a registry: pass \`discovery\` (an EtcdRegistry, a MemoryRegistry, ...)`);
}

// Errors this process made for calls that provably never left it (no node, connection refused before
// anything was written, stream refused by the server's HTTP/2 layer). Marked by identity, not by text:
// a server's own 503 "UNAVAILABLE: ECONNREFUSED" relayed from its upstream reads the same but may
// have done work, so it must not be resent.
const unreachedErrors = new WeakSet<object>();

/** Marks `err` as made by a transport for a call that never reached a server application. */
export function markUnreached<E extends object>(err: E): E {
  unreachedErrors.add(err);
  return err;
}

/**
 * Whether a failure provably never reached a server application, so resending it cannot run anything
 * twice: only errors our transports marked (see docs/registry.md for the list), found through `cause`.
 */
export function unreached(err: unknown): boolean {
  let cur: unknown = err;
  for (let depth = 0; depth < 16 && cur !== null && typeof cur === 'object'; depth++) {
    if (unreachedErrors.has(cur)) return true;
    cur = (cur as { cause?: unknown }).cause;
  }
  return false;
}
