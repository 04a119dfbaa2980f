import { context, propagation, ROOT_CONTEXT, type Context as OtelContext, type ContextManager, type TextMapGetter, type TextMapPropagator, type TextMapSetter } from '@opentelemetry/api';
import { currentTraceContext, enterTraceContext, runWithTraceContext, type Header } from '../transport/index.js';
import { lazyRequire } from '../internal/index.js';

const otelSdk = lazyRequire<typeof import('./otel-sdk.js')>('./otel-sdk.js', import.meta.url);
const core = () => otelSdk().core;
const asyncHooks = () => otelSdk().asyncHooks;

let w3c: TextMapPropagator | undefined;

/** W3C `traceparent`/`tracestate` and `baggage`: Kratos' default propagation minus its metadata field (docs/observability.md#tracing). */
export function w3cPropagator(): TextMapPropagator {
  const c = core();
  return (w3c ??= new c.CompositePropagator({ propagators: [new c.W3CTraceContextPropagator(), new c.W3CBaggagePropagator()] }));
}

/**
 * True for a propagator known to read no header but those its fields() name (the W3C one above, and
 * no propagation): a request carrying none of them has nothing to extract.
 */
export function readsOnlyItsFields(propagator: TextMapPropagator): boolean {
  return propagator === w3c || propagator === NO_PROPAGATION;
}

/** `OTEL_PROPAGATORS=none`: calls neither read nor write trace context, so every server span is a root. */
export const NO_PROPAGATION: TextMapPropagator = {
  inject: () => undefined,
  extract: (ctx) => ctx,
  fields: () => [],
};

/** Reads W3C fields from request headers or gRPC metadata alike; repeated fields come back whole. */
export const HEADER_GETTER: TextMapGetter<Header> = {
  keys: (carrier) => carrier.keys(),
  get: (carrier, key) => {
    const values = carrier.values(key);
    return values.length === 0 ? undefined : values.length === 1 ? values[0] : values;
  },
};

/** Writes W3C fields, replacing any left by a retried call. */
export const HEADER_SETTER: TextMapSetter<Header> = {
  set: (carrier, key, value) => carrier.set(key, value),
};

let installed = false;
let ours: TextMapPropagator | undefined;
let owned = false;

/**
 * True once {@link installOtelGlobals} made the shared context manager OTel's (not when someone's SDK
 * came first): a call's scope then writes the call store directly rather than through `context.with`,
 * which would land there anyway after the API's global lookup, a bind and rest arguments.
 */
export function ownsContext(): boolean {
  return owned;
}

/** The propagator {@link installOtelGlobals} made global, if it did: calls use it directly, not through the API's lookup. */
export function ownGlobalPropagator(): TextMapPropagator | undefined {
  return ours;
}

/**
 * OTel's context manager over the call context's AsyncLocalStorage (lib/transport), not one of its
 * own: a second storage would be carried by every promise of every call. It is OTel's
 * AsyncLocalStorage manager (whose binding of functions and event emitters it keeps) with the
 * store swapped.
 */
function sharedContextManager(): ContextManager {
  const Base = asyncHooks().AsyncLocalStorageContextManager;
  class SharedStorageContextManager extends Base {
    override active(): OtelContext {
      return (currentTraceContext() as OtelContext | undefined) ?? ROOT_CONTEXT;
    }
    override with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(ctx: OtelContext, fn: F, thisArg?: ThisParameterType<F>, ...args: A): ReturnType<F> {
      const cb = thisArg == null ? fn : (fn.bind(thisArg) as F);
      return runWithTraceContext(ctx, cb, ...args);
    }
    override attach(ctx: OtelContext): { dispose(): void } {
      const restore = enterTraceContext(ctx);
      let done = false;
      return { dispose: () => (done ? undefined : ((done = true), restore())) };
    }
    override disable(): this {
      return this;
    }
  }
  return new SharedStorageContextManager();
}

/**
 * Installs the AsyncLocalStorage context manager and `propagator` as OTel's globals, once per
 * process. OTel's context API is global, so without a context manager `context.with` is a no-op and
 * spans would not follow `await`. A manager or propagator someone installed first (NodeSDK) is kept.
 */
export function installOtelGlobals(propagator: TextMapPropagator): void {
  if (installed) return;
  installed = true;
  // A context manager is installed when context.with() makes a value visible; registering over it would fail noisily.
  const probe = Symbol('kratos.probe');
  const present = context.with(ROOT_CONTEXT.setValue(probe, true), () => context.active().getValue(probe) === true);
  if (!present) {
    const manager = sharedContextManager();
    // Never uninstalled: other apps in the process and user code may already rely on it.
    if (context.setGlobalContextManager(manager.enable())) owned = true;
    else manager.disable();
  }
  if (propagation.fields().length === 0 && propagator !== NO_PROPAGATION && propagation.setGlobalPropagator(propagator)) ours = propagator;
}
