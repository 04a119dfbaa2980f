import type { Metadata as GrpcMetadata } from '@grpc/grpc-js';
import { Metadata } from '../../call-metadata/index.js';
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
  readonly #incoming: GrpcMetadata;
  readonly #abort = new AbortController();
  #requestHeader: MetadataHeader | undefined;
  #metadata: Metadata | undefined;
  /** Set once reply headers went out, so later changes are not sent twice. */
  headersSent = false;

  constructor(operation: string, endpoint: string, incoming: GrpcMetadata, deadline: number | undefined) {
    this.operation = operation;
    this.endpoint = endpoint;
    this.#incoming = incoming;
    this.deadline = deadline;
  }

  get requestHeader(): MetadataHeader {
    return (this.#requestHeader ??= new MetadataHeader(this.#incoming));
  }

  get metadata(): Metadata {
    return (this.#metadata ??= new Metadata());
  }

  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  /** Aborts the call's signal (cancelled by the client, or past its deadline). */
  abort(reason: Error): void {
    if (!this.#abort.signal.aborted) this.#abort.abort(reason);
  }
}
