import { connect, type Socket } from 'node:net';
import type { NodeHealth } from '../static-nodes.js';

/** First wait before a down node is probed again; doubles up to {@link PROBE_MAX_MS}. */
export const PROBE_BASE_MS = 250;
export const PROBE_MAX_MS = 5000;
/** A connect that takes longer counts as failed. */
const PROBE_TIMEOUT_MS = 1000;

/**
 * Health of HTTP nodes, which have no channel state to watch: a node whose connection
 * was refused leaves the pick set at once; a connection that broke (reset, or a pooled socket closed
 * by the peer) makes the node suspect, and a TCP connect decides. A down node is probed with
 * exponential backoff and comes back on the first successful connect, independent of the registry.
 */
export class NodeProbe {
  readonly #health: NodeHealth;
  readonly #probing = new Set<string>();
  readonly #sockets = new WeakSet<Socket>();
  #closed = false;

  constructor(resolver: NodeHealth) {
    this.#health = resolver;
  }

  /** The connection to `address` was refused or could not be made: out of the pick set now. */
  down(address: string, why: string): void {
    if (this.#closed) return;
    this.#health.markDown(address, why);
    if (!this.#probing.has(address)) void this.#recover(address);
  }

  /** A connection to `address` broke: check it, and take the node out if nothing listens there. */
  suspect(address: string): void {
    if (this.#closed || this.#probing.has(address) || this.#health.isDown(address)) return;
    this.#probing.add(address);
    void probe(address).then((ok) => {
      this.#probing.delete(address);
      if (!ok) this.down(address, 'connection lost and connect refused');
    });
  }

  /** Follows a pooled socket: when the peer closes it, the node is checked at once. */
  follow(address: string, socket: Socket): void {
    if (this.#sockets.has(socket)) return;
    this.#sockets.add(socket);
    socket.once('close', () => this.suspect(address));
  }

  close(): void {
    this.#closed = true;
  }

  async #recover(address: string): Promise<void> {
    this.#probing.add(address);
    try {
      for (let wait = PROBE_BASE_MS; !this.#closed && this.#health.isDown(address); wait = Math.min(PROBE_MAX_MS, wait * 2)) {
        await new Promise((r) => setTimeout(r, wait).unref());
        if (this.#closed || !this.#health.isDown(address)) return;
        if (await probe(address)) this.#health.markUp(address);
      }
    } finally {
      this.#probing.delete(address);
    }
  }
}

/** Whether a TCP connection to `address` (`host:port`, `[v6]:port`) opens. */
export function probe(address: string): Promise<boolean> {
  const url = new URL(`http://${address}`);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = Number(url.port || 80);
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const end = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(PROBE_TIMEOUT_MS, () => end(false));
    socket.once('connect', () => end(true));
    socket.once('error', () => end(false));
  });
}
