import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Metadata } from '../../../lib/metadata/index.js';
import { FrameworkError } from '../../../lib/errors/index.js';
import { callAttributes, createTracing, startClientSpan, startServerSpan, traceIdValuer, type TracingOptions } from '../../../lib/tracing/index.js';
import { type Context, type Kind, type Side } from '../../../lib/transport/index.js';

function context(kind: Kind, side: Side, operation: string, headers: Record<string, string> = {}): Context {
  return {
    kind, side, operation, endpoint: '', requestHeader: new Metadata(headers), replyHeader: new Metadata(),
    signal: new AbortController().signal, deadline: undefined, metadata: new Metadata(),
  };
}

const SAMPLED_PARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const UNSAMPLED_PARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00';

async function withTracing(options: Partial<TracingOptions>, fn: (t: ReturnType<typeof createTracing>) => Promise<void> | void): Promise<void> {
  const t = createTracing({ serviceName: 'svc', exporter: 'memory', ...options });
  try {
    await fn(t);
  } finally {
    await t.shutdown();
    await t.shutdown();
  }
}

describe('createTracing', () => {
  describe('having sampleRatio 0', () => {
    it('should export nothing for a new trace, but still propagate its ids', () => withTracing({ sampleRatio: 0 }, (t) => {
      const server = startServerSpan(t, context('grpc', 'server', '/a.B/C'));
      const out = context('grpc', 'client', '/b.C/D');
      server.runInContext(() => startClientSpan(t, out)).end();
      server.end();
      assert.equal(t.memoryExporter?.getFinishedSpans().length, 0);
      assert.match(out.requestHeader.get('traceparent') ?? '', new RegExp(`^00-${server.traceId}-[0-9a-f]{16}-00$`));
    }));

    it('should record a call whose caller sampled it', () => withTracing({ sampleRatio: 0 }, (t) => {
      startServerSpan(t, context('http', 'server', '/a.B/C', { traceparent: SAMPLED_PARENT })).end();
      startServerSpan(t, context('http', 'server', '/a.B/C', { traceparent: UNSAMPLED_PARENT })).end();
      const spans = t.memoryExporter?.getFinishedSpans() ?? [];
      assert.equal(spans.length, 1);
      assert.equal(spans[0]?.spanContext().traceId, '4bf92f3577b34da6a3ce929d0e0e4736');
    }));
  });

  describe('having sampleRatio 1', () => {
    it('should record new traces; ending twice exports once', () => withTracing({ sampleRatio: 1 }, (t) => {
      const span = startServerSpan(t, context('grpc', 'server', '/a.B/C'));
      span.end();
      span.end(new Error('late'));
      assert.equal(t.memoryExporter?.getFinishedSpans().length, 1);
      assert.match(span.traceId, /^[0-9a-f]{32}$/);
      assert.match(span.spanId, /^[0-9a-f]{16}$/);
    }));
  });

  describe('having two instances', () => {
    it('should keep their service names and exporters apart', () => withTracing({ serviceName: 'one', sampleRatio: 1 }, (a) =>
      withTracing({ serviceName: 'two', sampleRatio: 1 }, (b) => {
        startServerSpan(a, context('grpc', 'server', '/a.B/C')).end();
        assert.equal(a.memoryExporter?.getFinishedSpans()[0]?.resource.attributes['service.name'], 'one');
        assert.equal(b.memoryExporter?.getFinishedSpans().length, 0);
      })));
  });

  describe('having other exporters', () => {
    it('should build them without exporting anything yet', async () => {
      for (const exporter of ['none', 'console', 'otlp-http', 'otlp-grpc'] as const) {
        const t = createTracing({ serviceName: 'svc', exporter, endpoint: 'http://127.0.0.1:1', serviceVersion: '1.0.0' });
        assert.equal(t.memoryExporter, undefined);
        await t.shutdown();
      }
    });
  });

  it('should give SDK spans ids from the pooled generator, not Math.random', () => withTracing({ sampleRatio: 1 }, (t) => {
    // The SDK's default generator draws Math.random per 32-bit word; the app's provider takes the
    // pooled crypto ids unsampled calls use (lib/tracing/ids.ts).
    const random = Math.random;
    Math.random = () => assert.fail('Math.random drawn for an id');
    const ids = new Set<string>();
    try {
      for (let i = 0; i < 300; i++) {
        const span = t.tracer.startSpan('user work', { root: true });
        const sc = span.spanContext();
        span.end();
        assert.match(sc.traceId, /^[0-9a-f]{32}$/);
        assert.match(sc.spanId, /^[0-9a-f]{16}$/);
        ids.add(sc.traceId).add(sc.spanId);
      }
    } finally {
      Math.random = random;
    }
    assert.equal(ids.size, 600);
  }));

  it('should reject a ratio outside 0..1', () => {
    assert.throws(() => createTracing({ serviceName: 'svc', sampleRatio: 2 }), FrameworkError);
    assert.throws(() => createTracing({ serviceName: 'svc', sampleRatio: Number.NaN }), FrameworkError);
  });
});

describe('traceIdValuer', () => {
  it('should read the span made active by runInContext, and \'\' outside', () => withTracing({ sampleRatio: 1 }, (t) => {
    const span = startServerSpan(t, context('grpc', 'server', '/a.B/C'));
    assert.equal(span.runInContext(traceIdValuer), span.traceId);
    assert.equal(traceIdValuer(), '');
    span.end();
  }));
});

describe('callAttributes', () => {
  it('should split gRPC operations into service and method', () => {
    assert.deepEqual(callAttributes(context('grpc', 'client', '/Greeter/SayHello')), { 'rpc.system': 'grpc', 'rpc.service': 'Greeter', 'rpc.method': 'SayHello' });
  });

  it('should keep plain HTTP paths whole and add http.route on servers only', () => {
    assert.deepEqual(callAttributes(context('http', 'server', '/users/list')), { 'rpc.system': 'http', 'rpc.operation': '/users/list', 'http.route': '/users/list' });
    assert.deepEqual(callAttributes(context('http', 'client', '/pkg.v1.S/M')), { 'rpc.system': 'http', 'rpc.service': 'pkg.v1.S', 'rpc.method': 'M' });
  });
});
