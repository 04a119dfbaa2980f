import type { IncomingMessage, ServerResponse } from 'node:http';
import { Metadata } from '../../call-metadata/index.js';
import type { Expirable } from '../../internal/index.js';
import type { Context } from '../context.js';
import { ReplyHeader, RequestHeader } from './headers.js';

/** Reason given to the signal when a request's deadline passes. */
export const TIMEOUT_REASON = 'request timeout';

/**
 * The context of one HTTP request. A class, not a literal, so every request has the same shape, and
 * headers and the AbortController are made only when something asks for them.
 */
export class HttpContext implements Context, Expirable {
  readonly kind = 'http' as const;
  readonly side = 'server' as const;
  readonly operation: string;
  readonly endpoint: string;
  readonly deadline: number | undefined;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly arrivedAt = performance.now();
  /** Set when the deadline passed or the client went away; the reply is then not written. */
  abandoned: 'timeout' | 'closed' | undefined;
  /** Why binding the request failed, for the route's onBindError chain. */
  bindError: unknown;
  /** Called on expiry by the server's deadline queue. */
  onExpire: ((ctx: HttpContext) => void) | undefined;
  prev: Expirable | undefined;
  next: Expirable | undefined;
  queued = false;
  #requestHeader: RequestHeader | undefined;
  #replyHeader: ReplyHeader | undefined;
  #abort: AbortController | undefined;
  #metadata: Metadata | undefined;

  constructor(req: IncomingMessage, res: ServerResponse, operation: string, endpoint: string, deadline: number | undefined) {
    this.req = req;
    this.res = res;
    this.operation = operation;
    this.endpoint = endpoint;
    this.deadline = deadline;
  }

  get requestHeader(): RequestHeader {
    return (this.#requestHeader ??= new RequestHeader(this.req.headers, this.req));
  }

  get replyHeader(): ReplyHeader {
    return (this.#replyHeader ??= new ReplyHeader(this.res));
  }

  get metadata(): Metadata {
    return (this.#metadata ??= new Metadata());
  }

  get signal(): AbortSignal {
    this.#abort ??= new AbortController();
    if (this.abandoned !== undefined && !this.#abort.signal.aborted) this.#abort.abort(this.#reason());
    return this.#abort.signal;
  }

  /** Marks the request abandoned and aborts the signal if anyone holds it. */
  abandon(why: 'timeout' | 'closed'): void {
    if (this.abandoned !== undefined) return;
    this.abandoned = why;
    this.#abort?.abort(this.#reason());
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
