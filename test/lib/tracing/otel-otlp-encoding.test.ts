import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { context, SpanKind, SpanStatusCode, trace, TraceFlags, type Attributes } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { encodeSpans } from '../../../lib/tracing/otel-otlp-encoding.js';
import { otlpProtoExporter } from '../../../lib/tracing/otel-otlp-exporter.js';
import { startOtlpReceiver } from '../../helpers/otlp-receiver.js';
import { repoPath } from '../../helpers/echo-service.js';
import { protocAvailable } from '../../helpers/protoc.js';

// Two oracles that are not ours: the OTel SDK's own serializer (@opentelemetry/otlp-transformer, what
// @opentelemetry/exporter-trace-otlp-proto sends), whose bytes ours must equal for every span, and
// protoc (Debian protobuf-compiler) decoding ours with the OTLP message definitions.

/** Finished SDK spans of every shape an export meets, from two providers (two resources) and two scopes. */
function spans(): ReadableSpan[] {
  const exporter = new InMemorySpanExporter();
  const limits = { attributeCountLimit: 12, eventCountLimit: 2, linkCountLimit: 1 };
  const a = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': 'orders', 'service.version': 'v1.2', 'host.cpus': 2, 'deployment.canary': false }), spanProcessors: [new SimpleSpanProcessor(exporter)], spanLimits: limits });
  const b = new BasicTracerProvider({ resource: resourceFromAttributes({ 'service.name': 'b\u00e9b\u00e9', list: ['x', 'y'] }), spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const kratos = a.getTracer('kratos');
  const other = a.getTracer('user-lib', '3.1.4', { schemaUrl: 'https://opentelemetry.io/schemas/1.21.0' });
  const operation: Attributes = { 'rpc.system': 'http', 'rpc.service': 'helloworld.v1.Greeter', 'rpc.method': 'SayHello', 'http.route': '/helloworld.v1.Greeter/SayHello' };

  // A call's server span twice (the cached parts written again), a success and a Kratos-style error.
  for (let i = 0; i < 2; i++) kratos.startSpan('/helloworld.v1.Greeter/SayHello', { kind: SpanKind.SERVER, attributes: operation }).setStatus({ code: SpanStatusCode.OK }).end();
  const failed = kratos.startSpan('/helloworld.v1.Greeter/SayHello', { kind: SpanKind.SERVER, attributes: operation });
  failed.recordException(new Error('user 42 not found: caf\u00e9 \ud800'));
  failed.setAttribute('rpc.status_code', 404);
  failed.setStatus({ code: SpanStatusCode.ERROR, message: 'user 42 not found' });
  failed.end();

  // A child of a remote sampled parent with trace state, links, events beyond the limit and values of every type.
  const parent = trace.setSpanContext(context.active(), { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: TraceFlags.SAMPLED, isRemote: true, traceState: new TraceState('vendor=a,other=b') });
  const child = kratos.startSpan('GET /a', {
    kind: SpanKind.CLIENT,
    links: [{ context: { traceId: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', spanId: 'bbbbbbbbbbbbbbbb', traceFlags: TraceFlags.NONE, isRemote: true, traceState: new TraceState('k=v') }, attributes: { why: 'retry', n: 1 } }, { context: { traceId: 'cccccccccccccccccccccccccccccccc', spanId: 'dddddddddddddddd', traceFlags: TraceFlags.SAMPLED } }],
  }, parent);
  child.setAttributes({
    zero: 0, one: 1, negative: -7, big: 2 ** 53 + 2, huge: 2 ** 63, minInt: -(2 ** 63), small: -(2 ** 40), ratio: 0.25, nan: Number.NaN, inf: Number.POSITIVE_INFINITY,
    yes: true, no: false, empty: '', ascii: 'plain', unicode: 'na\u00efve \u{1F600}', surrogate: 'a\udc00b', long: 'x'.repeat(200), longer: '\u00e9'.repeat(40_000),
    strings: ['a', '', 'b\u00e9'], numbers: [1, 2.5, -3], bools: [true, false], mixed: [null, 'z'] as unknown as string[],
  });
  child.addEvent('first', { at: 'start' });
  child.addEvent('second');
  child.addEvent('third (drops the first)', { code: 500 }, [1_700_000_000, 123_456_789]);
  child.end([1_700_000_001, 999_999_999]);

  // Start and end times given by the caller; a span of the second scope and one of the second resource.
  other.startSpan('internal work', { startTime: [1_000, 5], attributes: { 'bytes.value': 'n/a' } }).end([1_000, 6]);
  b.getTracer('kratos').startSpan('elsewhere', { kind: SpanKind.PRODUCER, root: true }).end();
  kratos.startSpan('after the others').end();
  const finished = exporter.getFinishedSpans();
  assert.equal(finished.length, 7);
  return finished;
}

function protocDecode(bytes: Uint8Array): string {
  return execFileSync('protoc', ['--decode=opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest', '-I', repoPath('test/fixtures/otlp'), 'trace_service.proto'], { input: bytes }).toString();
}

/** What @opentelemetry/exporter-trace-otlp-proto would send for `batch`. */
const sdkBytes = (batch: ReadableSpan[]): Buffer => Buffer.from(ProtobufTraceSerializer.serializeRequest(batch)!);
const ourBytes = (batch: ReadableSpan[]): Buffer => Buffer.from(encodeSpans(batch)!);

describe('encodeSpans (OTLP http/protobuf export requests)', () => {
  it('should write the bytes the OTel SDK serializer writes, for every kind of span and value', () => {
    const all = spans();
    const ours = encodeSpans(all);
    assert.ok(ours !== undefined);
    assert.deepEqual(Buffer.from(ours), sdkBytes(all));
    // Each span alone, and again in another order (the cached parts, grouping by first appearance).
    for (const span of all) assert.deepEqual(ourBytes([span]), sdkBytes([span]));
    const reordered = [...all].reverse();
    assert.deepEqual(ourBytes(reordered), sdkBytes(reordered));
    assert.deepEqual(ourBytes([]), sdkBytes([]));
  });

  it('should convert ids digit by digit as the SDK does, uppercase and stray characters included', () => {
    const [span] = spans();
    const ids = (traceId: string, spanId: string) => Object.create(span as object, { spanContext: { value: () => ({ ...span!.spanContext(), traceId, spanId }) } }) as ReadableSpan;
    const odd = [ids('4BF92F3577B34DA6A3CE929D0E0E4736', '00F067AA0BA902B7'), ids('zz-g!~ 0123456789abcdefABCDEF{}[', 'ghijklmn\u00e9\u20ac\u00ff00000'), ids('0'.repeat(32), '0'.repeat(16))];
    for (const s of odd) assert.deepEqual(ourBytes([s]), sdkBytes([s]));
  });

  it('should write a link whose ids are longer than a one-byte length as the SDK does (links are not validated)', () => {
    const exporter = new InMemorySpanExporter();
    const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer('kratos');
    const long = { traceId: 'a'.repeat(256), spanId: 'b'.repeat(300), traceFlags: TraceFlags.SAMPLED };
    tracer.startSpan('linked', { links: [{ context: long }] }).end();
    const batch = exporter.getFinishedSpans();
    assert.deepEqual(ourBytes(batch), sdkBytes(batch));
  });

  it('should write long and one-off attribute values and names the same each time (not kept after the first)', () => {
    const exporter = new InMemorySpanExporter();
    const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer('kratos');
    for (let i = 0; i < 3; i++) tracer.startSpan(`n${'x'.repeat(300)}`, { attributes: { 'db.statement': `SELECT ${'y'.repeat(5_000)} /* ${i % 2} */` } }).end();
    const batch = exporter.getFinishedSpans();
    assert.deepEqual(ourBytes(batch), sdkBytes(batch));
    assert.deepEqual(ourBytes(batch), sdkBytes(batch));
  });

  it('should write a batch of 512 server spans as the SDK does', () => {
    const exporter = new InMemorySpanExporter();
    const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer('kratos');
    for (let i = 0; i < 512; i++) tracer.startSpan(`/op.v1.S/M${i % 7}`, { kind: SpanKind.SERVER, attributes: { 'rpc.system': 'grpc', 'rpc.service': 'op.v1.S', 'rpc.method': `M${i % 7}` } }).end();
    const batch = exporter.getFinishedSpans();
    assert.deepEqual(ourBytes(batch), sdkBytes(batch));
  });

  it('should decode with protoc into the spans it was given', { skip: !protocAvailable() && 'protoc not installed' }, () => {
    const all = spans();
    const text = protocDecode(encodeSpans(all) ?? new Uint8Array());
    assert.equal(text.match(/^ {4}spans \{$/gm)?.length, 7, text);
    assert.match(text, /key: "service.name"\n\s+value \{\n\s+string_value: "orders"/);
    assert.match(text, /name: "user-lib"\n\s+version: "3.1.4"/);
    assert.match(text, /schema_url: "https:\/\/opentelemetry.io\/schemas\/1.21.0"/);
    assert.match(text, /name: "\/helloworld.v1.Greeter\/SayHello"\n\s+kind: SPAN_KIND_SERVER/);
    assert.match(text, /message: "user 42 not found"\n\s+code: STATUS_CODE_ERROR/);
    assert.match(text, /key: "rpc.status_code"\n\s+value \{\n\s+int_value: 404/);
    assert.match(text, /trace_id: "K\\371\/5w\\263M\\246\\243\\316\\222\\235\\016\\016G6"/);
    assert.match(text, /trace_state: "vendor=a,other=b"/);
    assert.match(text, /parent_span_id: "\\000\\360g\\252\\013\\251\\002\\267"/);
    assert.match(text, /key: "minInt"\n\s+value \{\n\s+int_value: -9223372036854775808/);
    assert.match(text, /key: "ratio"\n\s+value \{\n\s+double_value: 0.25/);
    assert.match(text, /dropped_events_count: 1/);
    assert.match(text, /dropped_links_count: 1/);
    assert.match(text, /start_time_unix_nano: 1000000000005\n\s+end_time_unix_nano: 1000000000006/);
    assert.match(text, /time_unix_nano: 1700000000123456789/);
    assert.match(text, /flags: 769/); // sampled, has is_remote, is remote: the child of the remote parent
  });

  it('should send a collector what @opentelemetry/exporter-trace-otlp-proto sends for the same spans', async () => {
    const receiver = await startOtlpReceiver();
    try {
      const all = spans();
      const send = (exporter: SpanExporter) => new Promise<void>((resolve, reject) => exporter.export(all, (r) => (r.code === 0 ? resolve() : reject(r.error))));
      const url = `${receiver.url}/v1/traces`;
      for (const exporter of [otlpProtoExporter({ url }), new OTLPTraceExporter({ url })]) {
        await send(exporter);
        await exporter.shutdown();
      }
      assert.equal(receiver.bodies.length, 2);
      assert.deepEqual(receiver.bodies[0], receiver.bodies[1]);
      const seen = receiver.exports.map((e) => [e.path, e.contentType, e.headers['user-agent']]);
      assert.deepEqual(seen[0], seen[1]);
      assert.equal(receiver.spans.length, 2 * all.length);
    } finally {
      await receiver.close();
    }
  });

  it('should leave a batch holding a span with ids it cannot write to the SDK serializer', () => {
    const [span] = spans();
    const odd = Object.create(span as object, { spanContext: { value: () => ({ ...span!.spanContext(), spanId: 'abc' }) } }) as ReadableSpan;
    assert.equal(encodeSpans([span!, odd]), undefined);
    const early = Object.create(span as object, { startTime: { value: [-1, 0] } }) as ReadableSpan;
    assert.equal(encodeSpans([early]), undefined);
  });
});
