import type { Expirable } from '../../internal/index.js';
import type { Context } from '../context.js';
import type { ErrorEncoder } from './codecs.js';
import { HttpExchange } from './exchange.js';

/** Reason given to the signal when a request's deadline passes. */
export const TIMEOUT_REASON = 'request timeout';


/**
 * The context of one HTTP request. A class, not a literal, so every request has the same shape, and
 * headers and the AbortController are made only when something asks for them.
 */
export class HttpContext extends HttpExchange implements Context, Expirable {
  readonly kind = 'http' as const;
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
  #abandoned: 'timeout' | 'closed' | undefined;

  /**
   * Set when the deadline passed or the client went away; the reply is then not written. The client's
   * leaving is read from the response when asked (closed before it finished), not listened for: a
   * request pays for a 'close' listener only when its {@link signal} is made.
   */
  get abandoned(): 'timeout' | 'closed' | undefined {
    this.#noticeLeaving();
    return this.#abandoned;
  }

  get signal(): AbortSignal {
    if (this.#abort !== undefined) return this.#abort.signal;
    this.#abort = new AbortController();
    if (this.abandoned !== undefined) this.#abort.abort(this.#reason());
    // Made while the request is served: aborts when the response closes unfinished (the client left).
    else this.res.once('close', () => this.#noticeLeaving());
    return this.#abort.signal;
  }

  get aborted(): boolean {
    return this.abandoned !== undefined;
  }

  /** Marks the request abandoned and aborts the signal if anyone holds it. */
  abandon(why: 'timeout' | 'closed'): void {
    if (this.#abandoned !== undefined) return;
    // A client that left before the deadline passed is what ended the request, as it was when listened for.
    this.#abandoned = this.#left() ? 'closed' : why;
    this.#abort?.abort(this.#reason());
  }

  /** The response closed before it finished: the client left. */
  #left(): boolean {
    return this.res.destroyed && !this.res.writableFinished;
  }

  /** Abandons the request if its client left and nothing ended it before: what reading and the signal's listener share. */
  #noticeLeaving(): void {
    if (this.#abandoned === undefined && this.#left()) this.abandon('closed');
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
