import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Server as TlsServer } from 'node:tls';

const ACTIVE = Symbol('kratos-ts/http/active');
const TRACKER = Symbol('kratos-ts/http/tracker');
const SOCKET = Symbol('kratos-ts/http/socket');
const WATCHER = Symbol('kratos-ts/http/close-watcher');
type TrackedSocket = Socket & { [ACTIVE]?: number; [TRACKER]?: ConnectionTracker };
type TrackedResponse = ServerResponse & { [SOCKET]?: TrackedSocket; [WATCHER]?: CloseWatcher };

/** Told when a tracked response closes, finished or not (the request's context: did the client leave?). */
export interface CloseWatcher {
  responseClosed(res: ServerResponse): void;
}

/**
 * Marks `req`'s connection busy until `res` closes. The server's request listener calls it first
 * thing, rather than the tracker listening for 'request' too: one listener per event is what node
 * emits fastest.
 */
export function trackRequest(req: IncomingMessage, res: TrackedResponse): void {
  const s = req.socket as TrackedSocket;
  s[ACTIVE] = (s[ACTIVE] ?? 0) + 1;
  res[SOCKET] = s;
  // 'close' fires once per response, finished or not; counting 'finish' too would end a
  // socket early while a pipelined request on it is still being served.
  res.on('close', onResponseClose);
}

/** `listener` with {@link trackRequest} first: the one request listener a tracked server has. */
export function trackingRequests(listener: (req: IncomingMessage, res: ServerResponse) => void): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    trackRequest(req, res);
    listener(req, res);
  };
}

/** Has the one 'close' listener of a tracked response tell `watcher` too (no second listener per request). */
export function watchClose(res: ServerResponse, watcher: CloseWatcher): void {
  const tracked = res as TrackedResponse;
  tracked[WATCHER] = watcher;
  // A response served without trackRequest (another server's listener, a test) has no shared
  // listener to tell the watcher, so it gets its own rather than losing the client's leaving.
  if (tracked[SOCKET] === undefined) res.once('close', onResponseClose);
}

// Shared listener (no closure per request): the watcher first, then the connection is one request less busy.
function onResponseClose(this: TrackedResponse): void {
  try {
    this[WATCHER]?.responseClosed(this);
  } finally {
    const s = this[SOCKET];
    if (s !== undefined) s[TRACKER]?.done(s);
  }
}

/** A TCP connection's peer, the same on its TLS socket: the one public link from one to the other. */
function peerKey(s: Socket): string {
  return `${s.remoteAddress ?? ''}|${s.remotePort ?? ''}`;
}

/**
 * Knows which connections are busy (the server's request listener calls {@link trackRequest}), so a
 * graceful stop can close idle ones and wait for the rest.
 * Requests arrive on the socket node:http parses: the TCP socket of an HTTP server, the TLS socket
 * ('secureConnection') of an HTTPS one. TCP sockets are kept too (still in their handshake, or its
 * carrier), so that a stop can end those with no request yet and the deadline can destroy them all.
 */
export class ConnectionTracker {
  readonly #sockets = new Set<TrackedSocket>();
  /** HTTPS: TCP sockets whose TLS handshake has not completed (no request can be on them yet). */
  readonly #handshaking = new Map<string, Socket>();
  readonly #carriers = new Set<Socket>();
  readonly #server: Server;
  #closing = false;

  /** `maxConnections`: beyond it node closes new TCP connections at once, TLS or not (undefined: no cap). */
  constructor(server: Server, maxConnections?: number) {
    this.#server = server;
    if (maxConnections !== undefined) server.maxConnections = maxConnections;
    const track = (s: TrackedSocket): void => {
      s[ACTIVE] = 0;
      s[TRACKER] = this;
      this.#sockets.add(s);
      s.once('close', () => this.#sockets.delete(s));
    };
    if (server instanceof TlsServer) {
      server.on('connection', (s: Socket) => this.#carry(s));
      server.on('secureConnection', (s: TrackedSocket) => {
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

  /** Closes every connection with no request in flight, now and as each one goes idle. */
  closeIdle(): void {
    this.#closing = true;
    this.#server.closeIdleConnections();
    for (const s of this.#sockets) if (s[ACTIVE] === 0) s.end();
    for (const s of this.#handshaking.values()) s.destroy();
  }

  /** Destroys every connection left (the drain deadline passed). */
  destroyAll(): void {
    for (const s of this.#sockets) s.destroy();
    for (const s of this.#carriers) s.destroy();
  }

  /** @internal A response on `s` closed. */
  done(s: TrackedSocket): void {
    s[ACTIVE] = Math.max(0, (s[ACTIVE] ?? 1) - 1);
    if (this.#closing && s[ACTIVE] === 0) setImmediate(() => s[ACTIVE] === 0 && s.end());
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
