import type { Metadata as GrpcMetadata } from '@grpc/grpc-js';
import { Metadata } from '../../metadata/index.js';
import type { Expirable } from '../../internal/index.js';
import type { Context } from '../context.js';
import { MetadataHeader } from './metadata-header.js';

/**
 * The context of one gRPC call on the server. Headers, metadata and the AbortController are made only
 * when something asks for them: most calls never do.
 */
export class GrpcContext implements Context, Expirable {
  readonly kind = 'grpc' as const;
  readonly side = 'server' as const;
  readonly operation: string;
  readonly endpoint: string;
  readonly deadline: number | undefined;
  readonly arrivedAt = performance.now();
  readonly #incoming: GrpcMetadata;
  #abort: AbortController | undefined;
  #reason: Error | undefined;
  #requestHeader: MetadataHeader | undefined;
  #replyHeader: MetadataHeader | undefined;
  #metadata: Metadata | undefined;
  /** Set once reply headers went out, so later changes are not sent twice. */
  headersSent = false;
  /** Called when the deadline passes (after the signal is aborted). */
  onExpire: (() => void) | undefined;
  /** Listens for the client's cancellation while the call runs. */
  onCancelled: (() => void) | undefined;
  /** A timer of its own, for a client deadline earlier than the server's timeout. */
  timer: NodeJS.Timeout | undefined;
  prev: Expirable | undefined;
  next: Expirable | undefined;
  queued = false;

  constructor(operation: string, endpoint: string, incoming: GrpcMetadata, deadline: number | undefined) {
    this.operation = operation;
    this.endpoint = endpoint;
    this.#incoming = incoming;
    this.deadline = deadline;
  }

  get requestHeader(): MetadataHeader {
    return (this.#requestHeader ??= new MetadataHeader(this.#incoming));
  }

  get replyHeader(): MetadataHeader {
    return (this.#replyHeader ??= new MetadataHeader());
  }

  /** The reply headers if any were set, without making them. */
  get replyHeaderIfSet(): MetadataHeader | undefined {
    return this.#replyHeader === undefined || this.#replyHeader.empty ? undefined : this.#replyHeader;
  }

  get metadata(): Metadata {
    return (this.#metadata ??= new Metadata());
  }

  get signal(): AbortSignal {
    this.#abort ??= new AbortController();
    if (this.#reason !== undefined && !this.#abort.signal.aborted) this.#abort.abort(this.#reason);
    return this.#abort.signal;
  }

  /** Whether the call was cancelled or passed its deadline. */
  get aborted(): boolean {
    return this.#reason !== undefined;
  }

  /** Aborts the call's signal (cancelled by the client, or past its deadline). */
  abort(reason: Error): void {
    if (this.#reason !== undefined) return;
    this.#reason = reason;
    this.#abort?.abort(reason);
  }

  expire(): void {
    this.onExpire?.();
  }
}
