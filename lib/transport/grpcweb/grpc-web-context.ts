import type { IncomingMessage, ServerResponse } from 'node:http';
import { Metadata } from '../../call-metadata/index.js';
import type { Context } from '../context.js';
import { ReplyHeader, RequestHeader } from '../http/index.js';

/**
 * The context of one gRPC-Web call. Its kind is 'grpc': it is a gRPC call framed for HTTP/1.1, so
 * middleware and selectors see the same operation and kind as for the same call over HTTP/2.
 * Request metadata is the HTTP request headers; reply metadata goes out as HTTP response headers.
 */
export class GrpcWebContext implements Context {
  readonly kind = 'grpc' as const;
  readonly side = 'server' as const;
  readonly operation: string;
  readonly endpoint: string;
  readonly deadline: number | undefined;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** Why the call was aborted (cancelled by the client, past its deadline). */
  reason: Error | undefined;
  /** Set once the outcome is written (reply, error or deadline): nothing else may write after it. */
  settled = false;
  timer: NodeJS.Timeout | undefined;
  #abort: AbortController | undefined;
  #requestHeader: RequestHeader | undefined;
  #replyHeader: ReplyHeader | undefined;
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
