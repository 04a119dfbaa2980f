import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { context, propagation, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { RPCType, setRPCMetadata } from '@opentelemetry/core';
import { B3Propagator } from '@opentelemetry/propagator-b3';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { Metadata } from '../../../lib/metadata/index.js';
import { createTracing, startServerSpan } from '../../../lib/tracing/index.js';
import { type Context, type Kind } from '../../../lib/transport/index.js';

// This file's process plays a user who set OTel's globals (as NodeSDK.start() does) before any app.
const userExporter = new InMemorySpanExporter();
const userProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(userExporter)] });
trace.setGlobalTracerProvider(userProvider);
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
propagation.setGlobalPropagator(new B3Propagator());

function call(kind: Kind, headers: Record<string, string> = {}): Context {
  return {
    kind, side: 'server', operation: '/shop.v1.Cart/Add', endpoint: '', requestHeader: new Metadata(headers), replyHeader: new Metadata(),
    signal: new AbortController().signal, deadline: undefined, metadata: new Metadata(),
  };
}

const B3 = { b3: '80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1' };

describe('createTracing with a global provider installed', () => {
  it('should send spans to the user\'s provider, read the user\'s propagator, and only flush on shutdown', async () => {
    const t = createTracing({ serviceName: 'svc', exporter: 'memory', sampleRatio: 0 });
    assert.equal(t.memoryExporter, undefined);
    const span = startServerSpan(t, call('grpc', B3));
    span.end();
    await t.shutdown();
    const [s] = userExporter.getFinishedSpans();
    assert.equal(s?.name, '/shop.v1.Cart/Add');
    assert.equal(s?.spanContext().traceId, '80f198ee56343ba864fe8b2a57d3eff7');
    assert.equal(s?.parentSpanContext?.spanId, 'e457b5a2e4d86bd1');
    // The provider is still the user's to use.
    startServerSpan(t, call('grpc', B3)).end();
    assert.equal(userExporter.getFinishedSpans().length, 2);
    userExporter.reset();
  });

  it('should keep its own provider with useGlobalProvider: false', async () => {
    const t = createTracing({ serviceName: 'own', exporter: 'memory', sampleRatio: 1, useGlobalProvider: false });
    startServerSpan(t, call('grpc')).end();
    assert.equal(t.memoryExporter?.getFinishedSpans()[0]?.resource.attributes['service.name'], 'own');
    assert.equal(userExporter.getFinishedSpans().length, 0);
    await t.shutdown();
  });

  it('should adopt the HTTP server span an instrumentation left in the context, renaming it and leaving its end to the instrumentation', () => {
    const t = createTracing({ serviceName: 'svc' });
    const theirs = trace.getTracer('@opentelemetry/instrumentation-http').startSpan('GET', {}, ROOT_CONTEXT);
    const ctx = setRPCMetadata(trace.setSpan(ROOT_CONTEXT, theirs), { type: RPCType.HTTP, span: theirs });
    const ours = context.with(ctx, () => startServerSpan(t, call('http', B3)));
    assert.equal(ours.spanId, theirs.spanContext().spanId);
    assert.equal(ours.runInContext(() => trace.getActiveSpan()), theirs);
    ours.end(new Error('boom'));
    assert.equal(userExporter.getFinishedSpans().length, 0);
    theirs.end();
    const [s] = userExporter.getFinishedSpans();
    assert.equal(s?.name, '/shop.v1.Cart/Add');
    assert.equal(s?.attributes['rpc.system'], 'http');
    assert.equal(s?.status.code, 2);
    assert.equal(s?.events[0]?.name, 'exception');
    userExporter.reset();
    // gRPC calls are never HTTP-instrumented: a span is opened as usual.
    const grpc = context.with(ctx, () => startServerSpan(t, call('grpc')));
    assert.notEqual(grpc.spanId, theirs.spanContext().spanId);
    grpc.end();
  });
});
