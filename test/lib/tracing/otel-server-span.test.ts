import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { context, trace } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { Metadata } from '../../../lib/metadata/index.js';
import { createTracing, startServerSpan, type Tracing } from '../../../lib/tracing/index.js';
import type { Context } from '../../../lib/transport/index.js';

function call(headers: Record<string, string> = {}): Context {
  return {
    kind: 'grpc', side: 'server', operation: '/helloworld.v1.Greeter/SayHello', endpoint: '', requestHeader: new Metadata(headers), replyHeader: new Metadata(),
    signal: new AbortController().signal, deadline: undefined, metadata: new Metadata(),
  };
}

/** What an exporter sees of a span, ids and times left out (they differ per span). */
function visible(span: ReadableSpan | undefined): unknown {
  assert.ok(span !== undefined);
  const sc = span.spanContext();
  return {
    class: span.constructor, name: span.name, kind: span.kind, attributes: span.attributes, status: span.status, events: span.events.map((e) => [e.name, e.attributes]),
    links: span.links, dropped: [span.droppedAttributesCount, span.droppedEventsCount, span.droppedLinksCount], resource: span.resource, scope: span.instrumentationScope,
    parent: span.parentSpanContext, traceFlags: sc.traceFlags, traceState: sc.traceState?.serialize(), traceIdOfCaller: sc.traceId === '4bf92f3577b34da6a3ce929d0e0e4736',
    ended: span.ended, durationValid: span.duration[0] >= 0 && span.duration[1] >= 0,
  };
}

/**
 * The exported span of one call through startServerSpan as it starts it, and as the tracer starts
 * it (the same tracing without its own starter), with `during` run in the handler and the call ending with `error`.
 */
async function bothWays(sampleRatio: number, headers: Record<string, string>, during?: () => void, error?: unknown): Promise<{ ours: unknown; tracers: unknown; asked: number }> {
  const t = createTracing({ serviceName: 'svc', exporter: 'memory', sampleRatio });
  let asked = 0;
  const startSpan = t.tracer.startSpan.bind(t.tracer);
  const counting: Tracing = { ...t, tracer: { startSpan: (...args: Parameters<typeof startSpan>) => (asked++, startSpan(...args)), startActiveSpan: t.tracer.startActiveSpan.bind(t.tracer) } as typeof t.tracer };
  const viaTracer: Tracing = { ...t, startRecordedServerSpan: undefined };
  for (const tracing of [counting, viaTracer]) {
    const h = startServerSpan(tracing, call(headers));
    h.runInContext(() => during?.());
    h.end(error);
  }
  const [ours, tracers] = t.memoryExporter?.getFinishedSpans() ?? [];
  const result = { ours: ours && visible(ours), tracers: tracers && visible(tracers), asked };
  await t.shutdown();
  return result;
}

describe('the server span of a recorded call', () => {
  it('should be the span the tracer starts, for a new trace at ratio 1', async () => {
    const { ours, tracers, asked } = await bothWays(1, {});
    assert.equal(asked, 0);
    assert.deepEqual(ours, tracers);
  });

  it('should be the span the tracer starts, for a sampled caller with trace state, whatever the ratio', async () => {
    for (const ratio of [0, 0.5, 1]) {
      const { ours, tracers, asked } = await bothWays(ratio, { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', tracestate: 'vendor=a' });
      assert.equal(asked, 0);
      assert.deepEqual(ours, tracers);
      assert.equal((ours as { traceIdOfCaller: boolean }).traceIdOfCaller, true);
    }
  });

  it('should take attributes, events and an error as the tracer\'s span does', async () => {
    const during = () => {
      const span = trace.getActiveSpan();
      span?.setAttribute('user.id', 42).setAttributes({ 'user.tier': 'gold', empty: undefined });
      span?.addEvent('cache miss', { key: 'k' });
    };
    const { ours, tracers } = await bothWays(1, {}, during, new Error('boom'));
    assert.deepEqual(ours, tracers);
    assert.equal((ours as { attributes: Record<string, unknown> }).attributes['user.id'], 42);
  });

  it('should leave to the tracer what its sampler decides: new traces below ratio 1, unsampled callers, suppressed tracing', async () => {
    assert.equal((await bothWays(0.5, {})).asked, 1);
    assert.equal((await bothWays(1, { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00' })).asked, 1);
    const t = createTracing({ serviceName: 'svc', exporter: 'memory', sampleRatio: 1 });
    assert.equal(t.startRecordedServerSpan?.('x', {}, suppressTracing(context.active())), undefined);
    await t.shutdown();
  });
});
