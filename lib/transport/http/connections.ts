import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

const ACTIVE = Symbol('kratos-ts/http/active');
const TRACKER = Symbol('kratos-ts/http/tracker');
const SOCKET = Symbol('kratos-ts/http/socket');
type TrackedSocket = Socket & { [ACTIVE]?: number; [TRACKER]?: ConnectionTracker };
type TrackedResponse = ServerResponse & { [SOCKET]?: TrackedSocket };

// Shared listeners (no closure per request): a request makes its socket busy until its response closes.
function onRequest(req: IncomingMessage, res: TrackedResponse): void {
  const s = req.socket as TrackedSocket;
  s[ACTIVE] = (s[ACTIVE] ?? 0) + 1;
  res[SOCKET] = s;
  // 'close' fires once per response, finished or not; counting 'finish' too would end a
  // socket early while a pipelined request on it is still being served.
  res.on('close', onResponseClose);
}

function onResponseClose(this: TrackedResponse): void {
  const s = this[SOCKET];
  if (s !== undefined) s[TRACKER]?.done(s);
}

/** Knows which connections are busy, so a graceful stop can close idle ones and wait for the rest. */
export class ConnectionTracker {
  readonly #sockets = new Set<TrackedSocket>();
  readonly #server: Server;
  #closing = false;

  /** `maxConnections`: beyond it node closes new connections at once (undefined: no cap). */
  constructor(server: Server, maxConnections?: number) {
    this.#server = server;
    if (maxConnections !== undefined) server.maxConnections = maxConnections;
    server.on('connection', (s: TrackedSocket) => {
      s[ACTIVE] = 0;
      s[TRACKER] = this;
      this.#sockets.add(s);
      s.once('close', () => this.#sockets.delete(s));
    });
    server.on('request', onRequest);
  }

  /** Closes every connection with no request in flight, now and as each one goes idle. */
  closeIdle(): void {
    this.#closing = true;
    this.#server.closeIdleConnections();
    for (const s of this.#sockets) if (s[ACTIVE] === 0) s.end();
  }

  /** Destroys every connection left (the drain deadline passed). */
  destroyAll(): void {
    for (const s of this.#sockets) s.destroy();
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
