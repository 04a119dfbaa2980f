import type { Metadata } from '@grpc/grpc-js';
import type { Context } from '../context.js';
import { MetadataHeader } from './metadata-header.js';

/** The context of one gRPC call on the server. */
export class GrpcContext implements Context {
  readonly kind = 'grpc' as const;
  readonly side = 'server' as const;
  readonly operation: string;
  readonly endpoint: string;
  readonly deadline: number | undefined;
  readonly replyHeader = new MetadataHeader();
  readonly #incoming: Metadata;
  readonly #abort = new AbortController();
  #requestHeader: MetadataHeader | undefined;
  /** Set once reply headers went out, so later changes are not sent twice. */
  headersSent = false;

  constructor(operation: string, endpoint: string, incoming: Metadata, deadline: number | undefined) {
    this.operation = operation;
    this.endpoint = endpoint;
    this.#incoming = incoming;
    this.deadline = deadline;
  }

  get requestHeader(): MetadataHeader {
    return (this.#requestHeader ??= new MetadataHeader(this.#incoming));
  }

  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  /** Aborts the call's signal (cancelled by the client, or past its deadline). */
  abort(reason: Error): void {
    if (!this.#abort.signal.aborted) this.#abort.abort(reason);
  }
}
