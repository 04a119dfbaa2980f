import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { Metadata } from '../../../lib/metadata/index.js';
import { notFound } from '../../../lib/errors/index.js';
import { tracingClient, tracingServer } from '../../../lib/middleware/tracing/index.js';
import { type Handler } from '../../../lib/middleware/index.js';
import { createTracing, spanIdValuer, traceIdValuer } from '../../../lib/tracing/index.js';
import { type Context, type Kind, type Side } from '../../../lib/transport/index.js';

function context(kind: Kind, side: Side, operation: string, headers: Record<string, string> = {}): Context {
  return {
    kind, side, operation, endpoint: '', requestHeader: new Metadata(headers), replyHeader: new Metadata(),
    signal: new AbortController().signal, deadline: undefined, metadata: new Metadata(),
  };
}

const PARENT_TRACE = '0af7651916cd43dd8448eb211c80319c';
const PARENT_SPAN = 'b7ad6b7169203331';

const tracing = createTracing({ serviceName: 'svc', exporter: 'memory', sampleRatio: 1 });
const exporter = tracing.memoryExporter!;
after(() => tracing.shutdown());

function finished() {
  const spans = exporter.getFinishedSpans();
  exporter.reset();
  return spans;
}

describe('tracingServer', () => {
  describe('when the handler succeeds', () => {
    it('should export a SERVER span named after the operation, with rpc attributes and status OK', async () => {
      const h: Handler = async () => 'ok';
      assert.equal(await tracingServer(tracing)(h)({}, context('grpc', 'server', '/helloworld.v1.Greeter/SayHello')), 'ok');
      const [span, ...rest] = finished();
      assert.equal(rest.length, 0);
      assert.equal(span?.name, '/helloworld.v1.Greeter/SayHello');
      assert.equal(span.kind, SpanKind.SERVER);
      assert.deepEqual(span.attributes, { 'rpc.system': 'grpc', 'rpc.service': 'helloworld.v1.Greeter', 'rpc.method': 'SayHello' });
      assert.equal(span.status.code, SpanStatusCode.OK);
      assert.equal(span.parentSpanContext, undefined);
      assert.equal(span.resource.attributes['service.name'], 'svc');
      assert.equal(span.instrumentationScope.name, 'kratos');
    });

    it('should give plain HTTP routes http.route and rpc.operation', async () => {
      await tracingServer(tracing)(async () => 'ok')({}, context('http', 'server', '/v1/users/{id}'));
      const [span] = finished();
      assert.deepEqual(span?.attributes, { 'rpc.system': 'http', 'rpc.operation': '/v1/users/{id}', 'http.route': '/v1/users/{id}' });
    });
  });

  describe('having a traceparent header', () => {
    it('should continue its trace as a child of its span', async () => {
      const headers = { traceparent: `00-${PARENT_TRACE}-${PARENT_SPAN}-01`, tracestate: 'vendor=x' };
      await tracingServer(tracing)(async () => 'ok')({}, context('http', 'server', '/a.B/C', headers));
      const [span] = finished();
      assert.equal(span?.spanContext().traceId, PARENT_TRACE);
      assert.equal(span.parentSpanContext?.spanId, PARENT_SPAN);
      assert.equal(span.parentSpanContext?.isRemote, true);
      assert.equal(span.spanContext().traceState?.get('vendor'), 'x');
    });
  });

  describe('when the handler fails', () => {
    it('should set status ERROR, rpc.status_code and an exception event', async () => {
      const h: Handler = async () => { throw notFound('USER_NOT_FOUND', 'no such user'); };
      await assert.rejects(tracingServer(tracing)(h)({}, context('grpc', 'server', '/a.B/C')), /no such user/);
      const [span] = finished();
      assert.equal(span?.status.code, SpanStatusCode.ERROR);
      assert.equal(span.status.message, 'no such user');
      assert.equal(span.attributes['rpc.status_code'], 404);
      assert.equal(span.events[0]?.name, 'exception');
      assert.equal(span.events[0]?.attributes?.['exception.message'], 'no such user');
    });

    it('should record a plain error as code 500 with its real message', async () => {
      await assert.rejects(tracingServer(tracing)(async () => { throw new Error('db down'); })({}, context('grpc', 'server', '/a.B/C')));
      const [span] = finished();
      assert.equal(span?.attributes['rpc.status_code'], 500);
      assert.equal(span.status.message, 'db down');
    });
  });

  describe('when the handler calls another service', () => {
    it('should make the CLIENT span a child of the SERVER span and inject its traceparent', async () => {
      const outgoing = context('grpc', 'client', '/b.C/D');
      let seen = { trace: '', span: '' };
      const remote: Handler = async () => 'remote';
      const h: Handler = async () => {
        seen = { trace: traceIdValuer(), span: spanIdValuer() };
        return tracingClient(tracing)(remote)({}, outgoing);
      };
      assert.equal(await tracingServer(tracing)(h)({}, context('grpc', 'server', '/a.B/C')), 'remote');
      const spans = finished();
      const server = spans.find((s) => s.kind === SpanKind.SERVER);
      const client = spans.find((s) => s.kind === SpanKind.CLIENT);
      assert.ok(server !== undefined && client !== undefined);
      assert.equal(client.name, '/b.C/D');
      assert.equal(client.parentSpanContext?.spanId, server.spanContext().spanId);
      assert.equal(client.spanContext().traceId, server.spanContext().traceId);
      assert.equal(outgoing.requestHeader.get('traceparent'), `00-${server.spanContext().traceId}-${client.spanContext().spanId}-01`);
      assert.deepEqual(seen, { trace: server.spanContext().traceId, span: server.spanContext().spanId });
      assert.equal(traceIdValuer(), '');
      assert.equal(spanIdValuer(), '');
    });

    it('should forward incoming baggage', async () => {
      const outgoing = context('http', 'client', '/b.C/D');
      const h: Handler = async () => tracingClient(tracing)(async () => 'x')({}, outgoing);
      await tracingServer(tracing)(h)({}, context('http', 'server', '/a.B/C', { baggage: 'tenant=t1' }));
      finished();
      assert.equal(outgoing.requestHeader.get('baggage'), 'tenant=t1');
    });
  });

  describe('when the reply is a stream', () => {
    it('should end the span when the stream ends, with the handler\'s span active while it yields', async () => {
      const ids: string[] = [];
      const h: Handler = async () => (async function* () {
        ids.push(spanIdValuer());
        yield 1;
        ids.push(spanIdValuer());
        yield 2;
      })();
      const reply = await tracingServer(tracing)(h)({}, context('grpc', 'server', '/a.B/List'));
      assert.equal(exporter.getFinishedSpans().length, 0);
      const items: unknown[] = [];
      for await (const x of reply as AsyncIterable<unknown>) items.push(x);
      assert.deepEqual(items, [1, 2]);
      const [span] = finished();
      assert.equal(span?.status.code, SpanStatusCode.OK);
      assert.deepEqual(ids, [span.spanContext().spanId, span.spanContext().spanId]);
    });
  });
});

describe('tracingClient', () => {
  describe('when called outside any span', () => {
    it('should start a root CLIENT span and inject it; a failure marks it ERROR', async () => {
      const out = context('http', 'client', '/a.B/C');
      await assert.rejects(tracingClient(tracing)(async () => { throw notFound('GONE', 'gone'); })({}, out));
      const [span] = finished();
      assert.equal(span?.kind, SpanKind.CLIENT);
      assert.equal(span.parentSpanContext, undefined);
      assert.equal(span.status.code, SpanStatusCode.ERROR);
      assert.equal(span.attributes['rpc.status_code'], 404);
      assert.equal(out.requestHeader.get('traceparent'), `00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`);
    });
  });
});
