import { context, propagation } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
/** W3C `traceparent`/`tracestate` and `baggage`: Kratos' default propagation minus its metadata field (§9). */
export const PROPAGATOR = new CompositePropagator({
    propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
});
/** Reads W3C fields from request headers or gRPC metadata alike; repeated fields come back whole. */
export const HEADER_GETTER = {
    keys: (carrier) => carrier.keys(),
    get: (carrier, key) => {
        const values = carrier.values(key);
        return values.length === 0 ? undefined : values.length === 1 ? values[0] : values;
    },
};
/** Writes W3C fields, replacing any left by a retried call. */
export const HEADER_SETTER = {
    set: (carrier, key, value) => carrier.set(key, value),
};
let installed = false;
/**
 * Installs the AsyncLocalStorage context manager and the W3C propagator as OTel's globals, once per
 * process. OTel's context API is global, so without a context manager `context.with` is a no-op and
 * spans would not follow `await`. A manager someone installed first (e.g. NodeSDK) is kept.
 */
export function installOtelGlobals() {
    if (installed)
        return;
    installed = true;
    const manager = new AsyncLocalStorageContextManager();
    // Never uninstalled: other apps in the process and user code may already rely on it.
    if (!context.setGlobalContextManager(manager.enable()))
        manager.disable();
    propagation.setGlobalPropagator(PROPAGATOR);
}
