import type { Metadata as GrpcMetadata } from '@grpc/grpc-js';
import { KratosError } from '../../errors/index.js';
import { Metadata } from '../../metadata/index.js';
import type { Expirable } from '../../internal/index.js';
import type { Context } from '../context.js';
import { MetadataHeader } from './metadata-header.js';

/** What a context needs of a grpc-js server call: its metadata and its cancellation. */
export interface CancellableCall {
  readonly metadata: GrpcMetadata;
  /** Set by grpc-js before it emits 'cancelled'. */
  readonly cancelled?: boolean;
  once(event: 'cancelled', fn: () => void): unknown;
  off(event: 'cancelled', fn: () => void): unknown;
}

/** The error a call cancelled by its client ends with. */
export function cancelledByClient(): KratosError {
  return new KratosError(499, 'CANCELLED', 'call cancelled by the client');
}

/**
 * The context of one gRPC call on the server. Headers, metadata, the AbortController and the
 * listener for the client's cancellation are made only when something asks for them: most calls
 * never do (until then, the call's own `cancelled` flag answers {@link aborted}).
 */
export class GrpcContext implements Context, Expirable {
  readonly kind = 'grpc' as const;
  readonly side = 'server' as const;
  readonly operation: string;
  readonly endpoint: string;
  readonly deadline: number | undefined;
  readonly arrivedAt = performance.now();
  readonly #call: CancellableCall;
  #abort: AbortController | undefined;
  #reason: Error | undefined;
  #requestHeader: MetadataHeader | undefined;
  #replyHeader: MetadataHeader | undefined;
  #metadata: Metadata | undefined;
  #onCancelled: (() => void) | undefined;
  /** Set when the call ended: grpc-js reports every ended call as cancelled afterwards. */
  #settled = false;
  /** @internal True when the rpc has one reply message (no reply stream), set by the call handler. */
  unaryReply = false;
  /** Set once reply headers went out, so later changes are not sent twice. */
  headersSent = false;
  /** Told the deadline's error when the deadline passes (after the signal is aborted). */
  onDeadline: ((err: KratosError) => void) | undefined;
  /** Told when the call aborts (cancelled or past its deadline): a stream waiting to write wakes up. */
  onAbort: (() => void) | undefined;
  /** A timer of its own, for a client deadline earlier than the server's timeout. */
  timer: NodeJS.Timeout | undefined;
  prev: Expirable | undefined;
  next: Expirable | undefined;
  queued = false;

  constructor(operation: string, endpoint: string, call: CancellableCall, deadline: number | undefined) {
    this.operation = operation;
    this.endpoint = endpoint;
    this.#call = call;
    this.deadline = deadline;
  }

  get requestHeader(): MetadataHeader {
    return (this.#requestHeader ??= new MetadataHeader(this.#call.metadata));
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
    if (this.#abort === undefined) {
      this.#abort = new AbortController();
      if (!this.aborted) this.listen();
    }
    if (this.#reason !== undefined && !this.#abort.signal.aborted) this.#abort.abort(this.#reason);
    return this.#abort.signal;
  }

  /** Whether the call was cancelled or passed its deadline. */
  get aborted(): boolean {
    if (this.#reason === undefined && !this.#settled && this.#call.cancelled === true) this.abort(cancelledByClient());
    return this.#reason !== undefined;
  }

  /** Aborts the call's signal (cancelled by the client, or past its deadline). */
  abort(reason: Error): void {
    if (this.#reason !== undefined) return;
    this.#reason = reason;
    this.#abort?.abort(reason);
    this.onAbort?.();
  }

  /** Aborts the moment the client cancels, rather than when someone next asks; until {@link settle}. */
  listen(): void {
    if (this.#onCancelled !== undefined || this.#settled) return;
    this.#onCancelled = () => this.abort(cancelledByClient());
    this.#call.once('cancelled', this.#onCancelled);
  }

  /** The call ended: stops listening, and later cancellation reports no longer abort it. */
  settle(): void {
    this.#settled = true;
    if (this.#onCancelled !== undefined) this.#call.off('cancelled', this.#onCancelled);
    if (this.timer !== undefined) clearTimeout(this.timer);
  }

  expire(): void {
    const err = new KratosError(504, 'DEADLINE_EXCEEDED', 'deadline exceeded');
    this.abort(err);
    this.onDeadline?.(err);
  }
}
