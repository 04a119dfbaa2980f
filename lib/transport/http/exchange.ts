import type { IncomingMessage, ServerResponse } from 'node:http';
import { Metadata } from '../../metadata/index.js';
import { ReplyHeader, RequestHeader } from './headers.js';

/**
 * What every call carried by one node:http request/response pair shares, whatever protocol frames it
 * (plain HTTP routes, gRPC-Web): the exchange, its arrival time, and headers and metadata made only
 * when something asks for them.
 */
export abstract class HttpExchange {
  readonly side = 'server' as const;
  readonly operation: string;
  readonly endpoint: string;
  readonly deadline: number | undefined;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly arrivedAt = performance.now();
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
}
