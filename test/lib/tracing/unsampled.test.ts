import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { context, trace, type Tracer } from '@opentelemetry/api';
import { Metadata } from '../../../lib/metadata/index.js';
import { createTracing, spanIdValuer, startClientSpan, startServerSpan, traceIdValuer, type Tracing } from '../../../lib/tracing/index.js';
import { type Context, type Side } from '../../../lib/transport/index.js';

function call(side: Side, headers: Record<string, string> = {}): Context {
  return {
    kind: 'http', side, operation: side === 'server' ? '/a.B/C' : '/b.C/D', endpoint: '', requestHeader: new Metadata(headers), replyHeader: new Metadata(),
    signal: new AbortController().signal, deadline: undefined, metadata: new Metadata(),
  };
}

/** The tracing with its tracer counting the spans asked of it. */
function counted(t: Tracing): { tracing: Tracing; started: () => number } {
  let n = 0;
  const tracer: Tracer = {
    startSpan: (...args: Parameters<Tracer['startSpan']>) => (n++, t.tracer.startSpan(...args)),
    startActiveSpan: t.tracer.startActiveSpan.bind(t.tracer) as Tracer['startActiveSpan'],
  };
  return { tracing: { ...t, tracer }, started: () => n };
}

const CALLER = '4bf92f3577b34da6a3ce929d0e0e4736';
const UNSAMPLED = `00-${CALLER}-00f067aa0ba902b7-00`;
const SAMPLED = `00-${CALLER}-00f067aa0ba902b7-01`;

/** What a server span makes visible, through the same handle the middleware uses. */
function observe(t: Tracing, headers: Record<string, string>): { traceId: string; spanId: string; logged: string[]; out: Metadata; active: ReturnType<typeof trace.getSpanContext> } {
  const handle = startServerSpan(t, call('server', headers));
  const out = call('client');
  const seen = handle.runInContext(() => {
    startClientSpan(t, out).end();
    return { logged: [traceIdValuer(), spanIdValuer()], active: trace.getSpanContext(context.active()) };
  });
  handle.end();
  return { traceId: handle.traceId, spanId: handle.spanId, out: out.requestHeader as Metadata, ...seen };
}

describe('startServerSpan with the sampler off', () => {
  it('should ask the tracer for no span when the call carries no trace header, yet give it ids that logs and outgoing calls see', async () => {
    const t = createTracing({ serviceName: 'svc', exporter: 'memory' });
    const { tracing, started } = counted(t);
    const seen = observe(tracing, {});
    assert.equal(started(), 1, 'only the outgoing CLIENT call asked for a span');
    assert.match(seen.traceId, /^[0-9a-f]{32}$/);
    assert.match(seen.spanId, /^[0-9a-f]{16}$/);
    assert.notEqual(seen.traceId, '0'.repeat(32));
    assert.deepEqual(seen.logged, [seen.traceId, seen.spanId]);
    assert.equal(seen.active?.traceFlags, 0);
    assert.match(seen.out.get('traceparent') ?? '', new RegExp(`^00-${seen.traceId}-[0-9a-f]{16}-00$`));
    assert.notEqual(observe(tracing, {}).traceId, seen.traceId);
    assert.equal(t.memoryExporter?.getFinishedSpans().length, 0);
    await t.shutdown();
  });

  it('should continue an unsampled caller as the SDK would: its trace id and trace state, a new span id, flags 00, baggage forwarded', async () => {
    const headers = { traceparent: UNSAMPLED, tracestate: 'vendor=x', baggage: 'tenant=t1' };
    const fast = createTracing({ serviceName: 'svc', exporter: 'memory' });
    // The same provider with the SDK path forced: the oracle for what a non-recorded call looks like.
    const sdk: Tracing = { ...fast, recordsOnlySampledParents: false };
    const { tracing, started } = counted(fast);
    const a = observe(tracing, headers);
    const b = observe(sdk, headers);
    assert.equal(started(), 1);
    assert.equal(a.traceId, CALLER);
    assert.equal(a.traceId, b.traceId);
    assert.equal(a.active?.traceFlags, b.active?.traceFlags);
    assert.equal(a.active?.traceState?.serialize(), b.active?.traceState?.serialize());
    assert.equal(a.active?.isRemote, b.active?.isRemote);
    assert.deepEqual(a.logged, [CALLER, a.spanId]);
    for (const field of ['tracestate', 'baggage']) assert.equal(a.out.get(field), b.out.get(field), field);
    assert.equal(a.out.get('baggage'), 'tenant=t1');
    assert.equal(fast.memoryExporter?.getFinishedSpans().length, 0);
    await fast.shutdown();
  });

  it('should start a new trace under baggage alone, keeping the baggage', async () => {
    const t = createTracing({ serviceName: 'svc', exporter: 'memory' });
    const seen = observe(t, { baggage: 'tenant=t2' });
    assert.notEqual(seen.traceId, CALLER);
    assert.equal(seen.out.get('baggage'), 'tenant=t2');
    await t.shutdown();
  });

  it('should record a call whose caller sampled it, as a child of the caller', async () => {
    const t = createTracing({ serviceName: 'svc', exporter: 'memory' });
    const { tracing, started } = counted(t);
    const seen = observe(tracing, { traceparent: SAMPLED });
    // The server span's sampling decision is known (a sampled caller), so only the client span asks the tracer.
    assert.equal(started(), 1);
    const spans = t.memoryExporter?.getFinishedSpans() ?? [];
    assert.deepEqual(spans.map((s) => s.name).sort(), ['/a.B/C', '/b.C/D']);
    const server = spans.find((s) => s.name === '/a.B/C');
    assert.deepEqual([server?.parentSpanContext?.spanId, server?.parentSpanContext?.isRemote, server?.spanContext().traceFlags], ['00f067aa0ba902b7', true, 1]);
    assert.equal(seen.traceId, CALLER);
    await t.shutdown();
  });

  it('should keep the tracer for every call when some new traces are sampled', async () => {
    const t = createTracing({ serviceName: 'svc', exporter: 'memory', sampleRatio: 0.5 });
    assert.equal(t.recordsOnlySampledParents, false);
    await t.shutdown();
  });
});
