import { Metadata } from '../metadata/index.js';
import { KratosError } from '../errors/index.js';
import { currentContext, type Context, type Header, type Kind } from './context.js';

/** Per-call options shared by the HTTP and gRPC clients. */
export interface CallOptions {
  /** Timeout of this call in ms; the client's default otherwise. */
  timeout?: number;
  /** Extra request headers (HTTP headers or gRPC metadata). */
  headers?: Record<string, string | string[]>;
  /** Cancels the call. */
  signal?: AbortSignal;
  /** Filled with the reply headers when they arrive. */
  replyHeader?: Header;
  /** Metadata sent with this call (docs/errors-and-metadata.md#metadata), on top of what is propagated from the call being served. */
  metadata?: Record<string, string | string[]>;
}

/**
 * The deadline of an outgoing call: `timeout` from now, but never later than the deadline of the
 * call being served, so time budgets shrink along a chain of services.
 */
export function outgoingDeadline(timeout: number): number | undefined {
  const own = timeout > 0 ? Date.now() + timeout : undefined;
  const inherited = currentContext()?.deadline;
  if (inherited === undefined) return own;
  return own === undefined ? inherited : Math.min(own, inherited);
}

/** The context of one outgoing call, seen by client middleware. */
export class ClientContext implements Context {
  readonly side = 'client' as const;
  readonly kind: Kind;
  readonly operation: string;
  readonly endpoint: string;
  readonly requestHeader: Header;
  readonly replyHeader: Header;
  readonly deadline: number | undefined;
  readonly metadata: Metadata;
  readonly #abort = new AbortController();
  #timer: NodeJS.Timeout | undefined;

  constructor(
    kind: Kind,
    operation: string,
    endpoint: string,
    headers: { request: Header; reply: Header },
    deadline: number | undefined,
    options: { signal?: AbortSignal | undefined; metadata?: Record<string, string | string[]> | undefined } = {},
  ) {
    const signal = options.signal;
    this.metadata = new Metadata(options.metadata);
    this.kind = kind;
    this.operation = operation;
    this.endpoint = endpoint;
    this.requestHeader = headers.request;
    this.replyHeader = headers.reply;
    this.deadline = deadline;
    if (signal !== undefined) {
      if (signal.aborted) this.#abort.abort(signal.reason);
      else signal.addEventListener('abort', () => this.#abort.abort(signal.reason), { once: true });
    }
    if (deadline !== undefined) {
      this.#timer = setTimeout(() => this.#abort.abort(new KratosError(504, 'DEADLINE_EXCEEDED', 'deadline exceeded')), Math.max(0, deadline - Date.now()));
      this.#timer.unref();
    }
  }

  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  /** Stops the deadline timer once the call has settled. */
  done(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
  }
}
