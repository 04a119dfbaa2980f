import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { context, propagation, trace, type Context as OtelContext, type TextMapPropagator } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { Metadata } from '../../../lib/metadata/index.js';
import { createTracing, spanIdValuer, startServerSpan, traceIdValuer, type Tracing } from '../../../lib/tracing/index.js';
import { CallSpanContext } from '../../../lib/tracing/otel-call-context.js';
import type { Context } from '../../../lib/transport/index.js';

// What a 100 % sampled server call pays per request besides its span, and must not pay twice.

function call(headers: Record<string, string> = {}): Context {
  return {
    kind: 'http', side: 'server', operation: '/helloworld.v1.Greeter/SayHello', endpoint: '', requestHeader: new Metadata(headers), replyHeader: new Metadata(),
    signal: new AbortController().signal, deadline: undefined, metadata: new Metadata(),
  };
}

/** The tracing with its propagator's extract counted (the propagator object itself is kept, as the middleware sees it). */
function countingExtract(t: Tracing): { extracted: () => number; restore: () => void } {
  const p = t.propagator as TextMapPropagator & { extract: TextMapPropagator['extract'] };
  const original = p.extract;
  let n = 0;
  p.extract = function (this: TextMapPropagator, ...args: Parameters<TextMapPropagator['extract']>): OtelContext {
    n++;
    return original.apply(this, args);
  };
  return { extracted: () => n, restore: () => void (p.extract = original) };
}

describe('a recorded server call (100 % sampled, the app\'s own provider)', () => {
  it("should hand log valuers the span's ids as checked, the ids being new or its caller's already checked", async () => {
    const t = createTracing({ serviceName: 'svc', exporter: 'memory', sampleRatio: 1 });
    for (const headers of [{}, { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' }]) {
      const h = startServerSpan(t, call(headers));
      const seen = h.runInContext(() => {
        const active = context.active();
        assert.ok(active instanceof CallSpanContext);
        const span = trace.getSpan(active);
        assert.ok(span !== undefined && span.isRecording());
        assert.equal(active.checked, span.spanContext(), 'the span context the exporter writes, not a copy');
        return [traceIdValuer(), spanIdValuer()];
      });
      h.end();
      assert.deepEqual(seen, [h.traceId, h.spanId]);
      if ('traceparent' in headers) assert.equal(h.traceId, '4bf92f3577b34da6a3ce929d0e0e4736');
    }
    assert.equal(t.memoryExporter?.getFinishedSpans().length, 2);
    await t.shutdown();
  });

  it('should leave a span the tracer started (a sampler from the environment) unchecked', async () => {
    process.env['OTEL_TRACES_SAMPLER'] = 'always_on';
    try {
      const t = createTracing({ serviceName: 'svc', exporter: 'memory' });
      const h = startServerSpan(t, call());
      h.runInContext(() => assert.equal((context.active() as CallSpanContext).checked, undefined));
      h.end();
      await t.shutdown();
    } finally {
      delete process.env['OTEL_TRACES_SAMPLER'];
    }
  });

  it('should not run the W3C propagator over a request carrying none of its headers, and run it over one that carries any', async () => {
    const t = createTracing({ serviceName: 'svc', exporter: 'memory', sampleRatio: 1 });
    const { extracted, restore } = countingExtract(t);
    try {
      const root = startServerSpan(t, call({ 'user-agent': 'wrk' }));
      root.end();
      assert.equal(extracted(), 0);
      const withBaggage = startServerSpan(t, call({ baggage: 'tenant=a' }));
      assert.equal(withBaggage.runInContext(() => propagation.getActiveBaggage()?.getEntry('tenant')?.value), 'a');
      withBaggage.end();
      const child = startServerSpan(t, call({ traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', tracestate: 'v=1' }));
      child.end();
      assert.equal(extracted(), 2);
      const [r, b, c] = t.memoryExporter?.getFinishedSpans() ?? [];
      assert.equal(r?.parentSpanContext, undefined, 'a request without trace headers starts a trace');
      assert.equal(b?.parentSpanContext, undefined);
      assert.equal(c?.parentSpanContext?.spanId, '00f067aa0ba902b7');
      assert.equal(c?.spanContext().traceState?.serialize(), 'v=1');
    } finally {
      restore();
      await t.shutdown();
    }
  });

  it("should still run a propagator that is not kratos-ts' own over every request (it may read headers it does not name)", async () => {
    const t = createTracing({ serviceName: 'svc', exporter: 'memory', sampleRatio: 1 });
    const foreign = new W3CTraceContextPropagator();
    let n = 0;
    const counting: TextMapPropagator = { inject: (...a) => foreign.inject(...a), fields: () => foreign.fields(), extract: (ctx, carrier, getter) => (n++, foreign.extract(ctx, carrier, getter)) };
    startServerSpan({ ...t, propagator: counting }, call({ 'uberctx-tenant': 'a' })).end();
    assert.equal(n, 1);
    await t.shutdown();
  });
});
