import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Server as TlsServer } from 'node:tls';

/** The response node:http is writing on a connection, if any (node's own field, as its closeIdleConnections reads it). */
type ServedSocket = Socket & { _httpMessage?: ServerResponse | null };

/** A TCP connection's peer, the same on its TLS socket: the one public link from one to the other. */
function peerKey(s: Socket): string {
  return `${s.remoteAddress ?? ''}|${s.remotePort ?? ''}`;
}

/**
 * Keeps a server's connections, so that a graceful stop can close the idle ones and wait for the rest.
 * It does nothing per request: a connection is busy while node:http writes a response on it, which
 * node knows, and a stop asks it then. Responses written while the server drains say `Connection:
 * close` (the server's `draining` flag), so node closes each busy connection after its reply; one
 * whose reply went out before the stop, keep-alive, is watched from the stop on and ended once idle.
 * Requests arrive on the socket node:http parses: the TCP socket of an HTTP server, the TLS socket
 * ('secureConnection') of an HTTPS one. TCP sockets are kept too (still in their handshake, or its
 * carrier), so that a stop can end those with no request yet and the deadline can destroy them all.
 */
export class ConnectionTracker {
  readonly #sockets = new Set<ServedSocket>();
  /** HTTPS: TCP sockets whose TLS handshake has not completed (no request can be on them yet). */
  readonly #handshaking = new Map<string, Socket>();
  readonly #carriers = new Set<Socket>();

  /** `maxConnections`: beyond it node closes new TCP connections at once, TLS or not (undefined: no cap). */
  constructor(server: Server, maxConnections?: number) {
    if (maxConnections !== undefined) server.maxConnections = maxConnections;
    const track = (s: ServedSocket): void => {
      this.#sockets.add(s);
      s.once('close', () => this.#sockets.delete(s));
    };
    if (server instanceof TlsServer) {
      server.on('connection', (s: Socket) => this.#carry(s));
      server.on('secureConnection', (s: ServedSocket) => {
        this.#handshaking.delete(peerKey(s));
        track(s);
      });
    } else {
      server.on('connection', track);
    }
  }

  #carry(s: Socket): void {
    const key = peerKey(s);
    this.#carriers.add(s);
    // A socket with no peer (already torn down, or a local socket) has no key of its own: it is only
    // a carrier, destroyed with the others at the deadline.
    if (s.remoteAddress !== undefined) this.#handshaking.set(key, s);
    s.once('close', () => {
      this.#carriers.delete(s);
      if (this.#handshaking.get(key) === s) this.#handshaking.delete(key);
    });
  }

  /**
   * Closes every connection with no response being written, now and as each busy one goes idle (node's
   * `server.close()`, called first, has already destroyed those its parser sees idle).
   */
  closeIdle(): void {
    for (const s of this.#sockets) this.#endWhenIdle(s);
    for (const s of this.#handshaking.values()) s.destroy();
  }

  /** Destroys every connection left (the drain deadline passed). */
  destroyAll(): void {
    for (const s of this.#sockets) s.destroy();
    for (const s of this.#carriers) s.destroy();
  }

  // A response's 'close' comes after node has handed the connection to the next pipelined response,
  // if there is one; a turn later a request node was still reading has reached its listener too.
  #endWhenIdle(s: ServedSocket): void {
    if (s.destroyed) return;
    const res = s._httpMessage;
    if (res === undefined || res === null) {
      s.end();
      return;
    }
    res.once('close', () => setImmediate(() => this.#endWhenIdle(s)));
  }
}

/**
 * Half-closes the connection once `res` is out (its request body was not all read, so the connection
 * cannot carry another request); a client that neither reads nor closes is cut off a second later.
 */
export function closeAfterReply(req: IncomingMessage, res: ServerResponse): void {
  const socket = req.socket;
  res.once('finish', () => {
    socket.end();
    setTimeout(() => socket.destroy(), 1000).unref();
  });
}
