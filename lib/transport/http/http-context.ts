import type { ServerResponse } from 'node:http';
import type { Expirable } from '../../internal/index.js';
import type { Context } from '../context.js';
import type { ErrorEncoder } from './codecs.js';
import { watchClose, type CloseWatcher } from './connections.js';
import { HttpExchange } from './exchange.js';

/** Reason given to the signal when a request's deadline passes. */
export const TIMEOUT_REASON = 'request timeout';


/**
 * The context of one HTTP request. A class, not a literal, so every request has the same shape, and
 * headers and the AbortController are made only when something asks for them.
 */
export class HttpContext extends HttpExchange implements Context, Expirable, CloseWatcher {
  readonly kind = 'http' as const;
  /** Set when the deadline passed or the client went away; the reply is then not written. */
  abandoned: 'timeout' | 'closed' | undefined;
  /** @internal True when the route sends one reply (not a stream), set by the server. */
  unaryReply = false;
  /** @internal How the route writes failures, for a timeout the server's deadline queue answers. */
  errorEncoder: ErrorEncoder | undefined;
  /** Called on expiry by the server's deadline queue. */
  onExpire: ((ctx: HttpContext) => void) | undefined;
  prev: Expirable | undefined;
  next: Expirable | undefined;
  queued = false;
  #abort: AbortController | undefined;

  get signal(): AbortSignal {
    this.#abort ??= new AbortController();
    if (this.abandoned !== undefined && !this.#abort.signal.aborted) this.#abort.abort(this.#reason());
    return this.#abort.signal;
  }

  get aborted(): boolean {
    return this.abandoned !== undefined;
  }

  /** Marks the request abandoned and aborts the signal if anyone holds it. */
  abandon(why: 'timeout' | 'closed'): void {
    if (this.abandoned !== undefined) return;
    this.abandoned = why;
    this.#abort?.abort(this.#reason());
  }

  /**
   * @internal Abandons the request when its response closes before it finished (the client left),
   * told by the connection tracker's one 'close' listener of the response.
   */
  watchClose(): void {
    watchClose(this.res, this);
  }

  /** @internal A response closed before it finished means the client left. */
  responseClosed(res: ServerResponse): void {
    if (!res.writableFinished) this.abandon('closed');
  }

  expire(): void {
    this.abandon('timeout');
    this.onExpire?.(this);
  }

  #reason(): Error {
    const e = new Error(this.abandoned === 'timeout' ? TIMEOUT_REASON : 'client closed request');
    e.name = this.abandoned === 'timeout' ? 'TimeoutError' : 'AbortError';
    return e;
  }
}
