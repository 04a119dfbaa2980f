import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createContextKey, propagation, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { CallSpanContext } from '../../../lib/tracing/otel-call-context.js';

const sc = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: TraceFlags.NONE };
const OTHER = createContextKey('other');

describe('CallSpanContext (a call span over its parent, without a map copy)', () => {
  it('should read, set and delete values as the context trace.setSpanContext makes', () => {
    const parent = propagation.setBaggage(ROOT_CONTEXT.setValue(OTHER, 1), propagation.createBaggage({ k: { value: 'v' } }));
    const lean = CallSpanContext.unsampled(sc, parent);
    const otel = trace.setSpanContext(parent, sc);
    assert.deepEqual(trace.getSpanContext(lean), trace.getSpanContext(otel));
    assert.equal(trace.getSpan(lean)?.isRecording(), false);
    assert.equal(lean.getValue(OTHER), otel.getValue(OTHER));
    assert.deepEqual(propagation.getBaggage(lean)?.getAllEntries(), propagation.getBaggage(otel)?.getAllEntries());
    const set = lean.setValue(OTHER, 2);
    assert.equal(set.getValue(OTHER), 2);
    assert.deepEqual(trace.getSpanContext(set), sc);
    assert.equal(lean.getValue(OTHER), 1, 'contexts are immutable');
    const deleted = trace.deleteSpan(lean);
    assert.equal(trace.getSpan(deleted), undefined);
    assert.equal(deleted.getValue(OTHER), 1);
    assert.equal(lean.checked, sc);
  });

  it('should hold a recording span unchecked, so log valuers still validate it', () => {
    const span = trace.wrapSpanContext(sc);
    const ctx = new CallSpanContext(span, ROOT_CONTEXT);
    assert.equal(trace.getSpan(ctx), span);
    assert.equal(ctx.checked, undefined);
  });
});
