import { NoopLogger, type Logger } from '../log/index.js';

/** Where a transport reports what it learnt about an address's connection. */
export interface NodeHealth {
  /** The connection is known dead (refused, channel in TRANSIENT_FAILURE): stop picking it. */
  markDown(address: string, why: string): void;
  /** A reconnect probe succeeded: pick it again. */
  markUp(address: string): void;
  isDown(address: string): boolean;
}

/**
 * A fixed `direct:///a,b` list, used round robin in the order given, with the same health rules as
 * discovered nodes: addresses known down and addresses the call already tried are skipped while any
 * other is left; with none left it falls back to the untried, then the healthy, then any (fail open).
 */
export class StaticNodes implements NodeHealth {
  readonly #addresses: readonly string[];
  readonly #down = new Set<string>();
  readonly #logger: Logger;
  #next = 0;

  constructor(addresses: readonly string[], logger: Logger = new NoopLogger()) {
    this.#addresses = addresses;
    this.#logger = logger;
  }

  pick(tried: ReadonlySet<string>): string {
    const list = this.#addresses;
    // Fast path: nothing down, first try: plain round robin.
    if (this.#down.size === 0 && tried.size === 0) return list[this.#next++ % list.length] as string;
    // Pass 0: healthy and untried; 1: untried; 2: healthy; then any.
    for (let pass = 0; pass < 3; pass++) {
      for (let i = 0; i < list.length; i++) {
        const address = list[(this.#next + i) % list.length] as string;
        const down = this.#down.has(address);
        const fresh = !tried.has(address);
        if (pass === 0 ? down || !fresh : pass === 1 ? !fresh : down) continue;
        this.#next += i + 1;
        return address;
      }
    }
    return list[this.#next++ % list.length] as string;
  }

  markDown(address: string, why: string): void {
    if (this.#down.has(address) || !this.#addresses.includes(address)) return;
    this.#down.add(address);
    this.#logger.log('warn', 'msg', 'address unreachable; not picked until a reconnect succeeds', 'address', address, 'reason', why);
  }

  markUp(address: string): void {
    if (!this.#down.delete(address)) return;
    this.#logger.log('info', 'msg', 'address reachable again', 'address', address);
  }

  isDown(address: string): boolean {
    return this.#down.has(address);
  }
}
