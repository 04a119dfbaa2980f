import type { Context } from '../context.js';
import { HttpExchange } from '../http/index.js';

/**
 * The context of one gRPC-Web call. Its kind is 'grpc': it is a gRPC call framed for HTTP/1.1, so
 * middleware and selectors see the same operation and kind as for the same call over HTTP/2.
 * Request metadata is the HTTP request headers; reply metadata goes out as HTTP response headers.
 */
export class GrpcWebContext extends HttpExchange implements Context {
  readonly kind = 'grpc' as const;
  /** Why the call was aborted (cancelled by the client, past its deadline). */
  reason: Error | undefined;
  /** Set once the outcome is written (reply, error or deadline): nothing else may write after it. */
  settled = false;
  timer: NodeJS.Timeout | undefined;
  #abort: AbortController | undefined;

  get signal(): AbortSignal {
    this.#abort ??= new AbortController();
    if (this.reason !== undefined && !this.#abort.signal.aborted) this.#abort.abort(this.reason);
    return this.#abort.signal;
  }

  get aborted(): boolean {
    return this.reason !== undefined;
  }

  abort(reason: Error): void {
    if (this.reason !== undefined) return;
    this.reason = reason;
    this.#abort?.abort(reason);
  }
}
