import { AsyncLocalStorage } from 'node:async_hooks';
import type { Metadata } from '../metadata/index.js';

/** The transport a call travels on. */
export type Kind = 'http' | 'grpc';

/** Which end of a call a context belongs to. */
export type Side = 'server' | 'client';

/**
 * Case-insensitive, multi-value header map shared by HTTP headers and gRPC metadata (docs/architecture.md#transports-servers-contexts-and-headers).
 * Keys are compared lower-cased.
 */
export interface Header {
  get(key: string): string | undefined;
  set(key: string, value: string): void;
  add(key: string, value: string): void;
  keys(): string[];
  values(key: string): string[];
  /**
   * The keys without copying them into an array, for a per-call scan; a key listed may have no value
   * left (its {@link values} is then empty). Optional: undefined, or absent, means use {@link keys}.
   */
  keyIterator?(): Iterable<string> | undefined;
}

/**
 * What a handler or middleware knows about the call it serves: the Kratos `Transporter` (docs/architecture.md#transports-servers-contexts-and-headers)
 * plus cancellation. One object per call, reachable anywhere in it through {@link currentContext}.
 */
export interface Context {
  readonly kind: Kind;
  readonly side: Side;
  /** `/package.Service/Method` for proto operations, the route template for plain HTTP routes. */
  readonly operation: string;
  /** Server: the address this server advertises (`http://10.0.0.5:8000`); client: the target. */
  readonly endpoint: string;
  readonly requestHeader: Header;
  readonly replyHeader: Header;
  /** Aborted when the call is cancelled or its deadline passes. */
  readonly signal: AbortSignal;
  /**
   * True once {@link signal} has aborted. Reading it does not make the signal, which transports make
   * only when asked, so per-call middleware checks this instead; undefined where a context lacks it.
   */
  readonly aborted?: boolean;
  /** Epoch milliseconds after which the call is abandoned, or undefined when it has none. */
  readonly deadline: number | undefined;
  /**
   * Metadata of the call (docs/errors-and-metadata.md#metadata): on a server, what the metadata middleware captured from `x-md-*`
   * headers; on a client, what this call sends on top of what is propagated.
   */
  readonly metadata: Metadata;
  /**
   * Server: `performance.now()` when the transport received the call, before its body was read and
   * before it waited for the event loop; load shedding measures queueing from it.
   */
  readonly arrivedAt?: number;
}

/**
 * What is ambient in an async flow: the call being served and the trace context (OpenTelemetry's,
 * opaque here). One AsyncLocalStorage holds both, so every promise of a call carries one store, not
 * one per library; the tracing adapter makes it OTel's context manager.
 */
interface Ambient {
  readonly call: Context | undefined;
  readonly trace: unknown;
}

const storage = new AsyncLocalStorage<Ambient>();

/** The context of the call being served, anywhere below a handler; undefined outside a call. */
export function currentContext(): Context | undefined {
  return storage.getStore()?.call;
}

/** Runs `fn` with `ctx` as the current context, the trace context unchanged. Transports call this once per call. */
export function runWithContext<T>(ctx: Context, fn: () => T): T {
  return storage.run({ call: ctx, trace: storage.getStore()?.trace }, fn);
}

/** How a transport runs a call's handler: `fn()`, with `ctx` made ambient or not. */
export type CallRunner = <T>(ctx: Context, fn: () => T) => T;

function runPlainly<T>(_ctx: Context, fn: () => T): T {
  return fn();
}

/**
 * The transports' way to run calls: {@link runWithContext}, or, for an app that switched the ambient
 * context off (`ambientContext: false`), a plain call. Then no AsyncLocalStorage is ever entered, so
 * Node 20 never enables its async hooks (whose init hook otherwise runs for every promise, tick and
 * write of the process); handlers still get `ctx` as their argument, and {@link currentContext} is undefined.
 */
export function callRunner(ambient: boolean): CallRunner {
  return ambient ? runWithContext : runPlainly;
}

/** The ambient trace context; undefined when none was set. For the tracing adapter. */
export function currentTraceContext(): unknown {
  return storage.getStore()?.trace;
}

/** Runs `fn(...args)` with `trace` as the ambient trace context, the call unchanged. For the tracing adapter. */
export function runWithTraceContext<A extends unknown[], R>(trace: unknown, fn: (...args: A) => R, ...args: A): R {
  return storage.run({ call: storage.getStore()?.call, trace }, fn, ...args);
}

/**
 * {@link runWithTraceContext} with two fixed arguments, for the tracing scope of a server call when
 * the shared context manager is OTel's: no API dispatch, rest arguments or bind per call.
 */
export function runCallWithTraceContext<A, B, R>(trace: unknown, fn: (a: A, b: B) => R, a: A, b: B): R {
  return storage.run({ call: storage.getStore()?.call, trace }, fn, a, b);
}

/** Makes `trace` ambient for the rest of the current flow; the returned function restores what was. */
export function enterTraceContext(trace: unknown): () => void {
  const before = storage.getStore();
  storage.enterWith({ call: before?.call, trace });
  return () => storage.enterWith(before as Ambient);
}
