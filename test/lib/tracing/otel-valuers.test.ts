import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { context, ROOT_CONTEXT, trace, TraceFlags, type Span, type SpanContext } from '@opentelemetry/api';
import { createTracing, spanIdValuer, traceIdValuer, type Tracing } from '../../../lib/tracing/index.js';
import { CallSpanContext } from '../../../lib/tracing/otel-call-context.js';

const CHECKED: SpanContext = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: TraceFlags.NONE };
const OTHER: SpanContext = { traceId: 'a3ce929d0e0e47364bf92f3577b34da6', spanId: 'b7ba902b700f067a', traceFlags: TraceFlags.SAMPLED };

/** A span whose span context is `sc`, counting how often it is asked for it. */
function spied(sc: SpanContext): { span: Span; asked: () => number } {
  let n = 0;
  const inner = trace.wrapSpanContext(sc);
  const span = new Proxy(inner, { get: (t, k) => (k === 'spanContext' ? () => (n++, sc) : Reflect.get(t, k)) });
  return { span, asked: () => n };
}

const line = (): [string, string] => [traceIdValuer(), spanIdValuer()];

describe('trace.id and span.id log valuers', () => {
  let tracing: Tracing;
  // The app's context manager, so context.with() makes a context active.
  before(() => (tracing = createTracing({ serviceName: 'svc', exporter: 'memory' })));
  after(() => tracing.shutdown());

  it("should read a call's checked span context directly, without asking its span or validating the ids", () => {
    const { span, asked } = spied(OTHER);
    const call = new CallSpanContext(span, ROOT_CONTEXT, CHECKED);
    assert.deepEqual(context.with(call, line), [CHECKED.traceId, CHECKED.spanId]);
    assert.equal(asked(), 0, 'the span was not consulted');
    assert.deepEqual(context.with(CallSpanContext.unsampled(OTHER, ROOT_CONTEXT), line), [OTHER.traceId, OTHER.spanId]);
  });

  it('should look any other context up once per line, the second valuer reusing the first', () => {
    const { span, asked } = spied(OTHER);
    const active = trace.setSpan(ROOT_CONTEXT, span);
    assert.deepEqual(context.with(active, line), [OTHER.traceId, OTHER.spanId]);
    assert.equal(asked(), 1);
    const unchecked = new CallSpanContext(span, ROOT_CONTEXT);
    assert.deepEqual(context.with(unchecked, line), [OTHER.traceId, OTHER.spanId]);
    assert.equal(asked(), 2, 'a call context without checked ids goes through its span');
  });

  it('should give each context its own ids when lines alternate between contexts', () => {
    const a = trace.setSpanContext(ROOT_CONTEXT, CHECKED);
    const b = trace.setSpanContext(ROOT_CONTEXT, OTHER);
    const fast = CallSpanContext.unsampled(OTHER, ROOT_CONTEXT);
    const seen = [a, b, fast, a, a, b].map((c) => context.with(c, line));
    assert.deepEqual(seen, [[CHECKED.traceId, CHECKED.spanId], [OTHER.traceId, OTHER.spanId], [OTHER.traceId, OTHER.spanId], [CHECKED.traceId, CHECKED.spanId], [CHECKED.traceId, CHECKED.spanId], [OTHER.traceId, OTHER.spanId]]);
  });

  it('should write empty ids outside a span and for an invalid span context', () => {
    assert.deepEqual(line(), ['', '']);
    const invalid = trace.setSpanContext(ROOT_CONTEXT, { traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: TraceFlags.NONE });
    assert.deepEqual(context.with(invalid, line), ['', '']);
    const malformed = trace.setSpanContext(ROOT_CONTEXT, { traceId: 'not-hex', spanId: 'zz', traceFlags: TraceFlags.NONE });
    assert.deepEqual(context.with(malformed, line), ['', '']);
  });
});
