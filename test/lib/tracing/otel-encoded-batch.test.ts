import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { context, diag, DiagLogLevel, SpanKind, SpanStatusCode, trace, TraceFlags } from '@opentelemetry/api';
import type { ExportResult } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AlwaysOffSampler, BasicTracerProvider, BatchSpanProcessor, type ReadableSpan, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { EncodedBatchSpanProcessor } from '../../../lib/tracing/otel-encoded-batch.js';
import { envSpanProcessors } from '../../../lib/tracing/otel-env.js';
import { createTracing } from '../../../lib/tracing/index.js';
import { otlpProtoExporter, type EncodedSpans, type OtlpProtoExporter } from '../../../lib/tracing/otel-otlp-exporter.js';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { startOtlpReceiver } from '../../helpers/otlp-receiver.js';

// The oracle is OTel's own pipeline: the SDK's BatchSpanProcessor in front of
// @opentelemetry/exporter-trace-otlp-proto, fed the same span objects, must send a collector the same
// requests. The point of the processor (spans written as they end, none kept) is checked against the
// same SDK processor, which keeps them.

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An exporter that records what it is given and answers as told (or holds the answer until `release`). */
function recordingExporter(answer: 'ok' | 'fail' | 'hold' = 'ok') {
  const encoded: EncodedSpans[] = [];
  const kept: ReadableSpan[][] = [];
  const held: ((r: ExportResult) => void)[] = [];
  let shutdowns = 0;
  const reply = (done: (r: ExportResult) => void) => (answer === 'hold' ? held.push(done) : done(answer === 'ok' ? { code: 0 } : { code: 1, error: new Error('collector said no') }));
  const exporter: OtlpProtoExporter = {
    export: (spans, done) => (kept.push(spans), reply(done)),
    exportEncoded: (request, done) => (encoded.push(request), reply(done)),
    forceFlush: async () => {},
    shutdown: async () => void shutdowns++,
  };
  return { exporter, encoded, kept, release: () => held.splice(0).forEach((done) => done({ code: 0 })), shutdowns: () => shutdowns };
}

function provider(processors: SpanProcessor[], attributes: Record<string, string> = { 'service.name': 'orders' }) {
  return new BasicTracerProvider({ resource: resourceFromAttributes(attributes), spanProcessors: processors });
}

const spanCount = (requests: EncodedSpans[]) => requests.reduce((n, r) => n + r.length, 0);
/** How many of `refs` a full collection leaves, a turn later. */
const liveAfterGc = async (refs: WeakRef<object>[]) => (await sleep(0), gc(), refs.filter((r) => r.deref() !== undefined).length);

describe('EncodedBatchSpanProcessor', () => {
  it('should send a collector the requests the SDK batch processor and exporter-trace-otlp-proto send for the same spans', async () => {
    const ours = await startOtlpReceiver();
    const theirs = await startOtlpReceiver();
    try {
      const options = { maxExportBatchSize: 5, maxQueueSize: 100, scheduledDelayMillis: 60_000 };
      const encoded = new EncodedBatchSpanProcessor(otlpProtoExporter({ url: `${ours.url}/v1/traces` }), options);
      const sdk = new BatchSpanProcessor(new OTLPTraceExporter({ url: `${theirs.url}/v1/traces` }), options);
      // Two resources and three scopes, interleaved, so batches group spans as the SDK groups them.
      const a = provider([encoded, sdk]);
      const b = provider([encoded, sdk], { 'service.name': 'b\u00e9b\u00e9', 'deployment.environment': 'test' });
      const tracers = [a.getTracer('kratos'), a.getTracer('user-lib', '3.1.4', { schemaUrl: 'https://opentelemetry.io/schemas/1.21.0' }), b.getTracer('kratos')];
      const remote = trace.setSpanContext(context.active(), { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: TraceFlags.SAMPLED, isRemote: true });
      for (let i = 0; i < 23; i++) {
        const tracer = tracers[i % 3]!;
        const span = tracer.startSpan(`/helloworld.v1.Greeter/SayHello${i % 2}`, { kind: SpanKind.SERVER, attributes: { 'rpc.system': 'grpc', n: i } }, i % 4 === 0 ? remote : undefined);
        if (i % 5 === 0) {
          span.recordException(new Error(`failure ${i}`));
          span.setStatus({ code: SpanStatusCode.ERROR, message: 'no' });
        }
        span.end();
      }
      await Promise.all([encoded.forceFlush(), sdk.forceFlush()]);
      await Promise.all([encoded.shutdown(), sdk.shutdown()]);
      assert.equal(theirs.bodies.length, 5); // 5 + 5 + 5 + 5 + 3
      assert.equal(ours.spans.length, 23);
      const hex = (bodies: Buffer[]) => bodies.map((b) => b.toString('hex')).sort();
      assert.deepEqual(hex(ours.bodies), hex(theirs.bodies));
      assert.deepEqual(ours.exports.map((e) => [e.path, e.contentType, e.headers['user-agent']]), theirs.exports.map((e) => [e.path, e.contentType, e.headers['user-agent']]));
    } finally {
      await Promise.all([ours.close(), theirs.close()]);
    }
  });

  it('should keep no ended span alive while its batch waits, where the SDK processor keeps them all', async () => {
    // Ended in a function of their own: a suspended async function may keep its last value in a register.
    const ended = (processor: SpanProcessor): WeakRef<object>[] => {
      const tracer = provider([processor]).getTracer('kratos');
      const refs: WeakRef<object>[] = [];
      for (let i = 0; i < 50; i++) {
        const span = tracer.startSpan('/a', { attributes: { i } });
        span.end();
        refs.push(new WeakRef(span));
      }
      return refs;
    };
    const alive = (processor: SpanProcessor): Promise<number> => liveAfterGc(ended(processor));
    const options = { maxExportBatchSize: 512, scheduledDelayMillis: 60_000 };
    const ours = recordingExporter();
    const encoded = new EncodedBatchSpanProcessor(ours.exporter, options);
    assert.equal(await alive(encoded), 0);
    await encoded.forceFlush();
    assert.equal(spanCount(ours.encoded), 50); // written, not lost
    const sdk = new BatchSpanProcessor(recordingExporter().exporter, options);
    assert.equal(await alive(sdk), 50);
    await sdk.shutdown();
  });

  it('should be what an app exporting OTLP over http/protobuf batches with, from its options or from the environment', async () => {
    const receiver = await startOtlpReceiver();
    try {
      const tracing = createTracing({ serviceName: 'orders', exporter: 'otlp', endpoint: `${receiver.url}/v1/traces`, sampleRatio: 1, useGlobalProvider: false });
      // Ended in a function of their own (see `ended` above).
      const refs = (() => Array.from({ length: 20 }, () => { const s = tracing.tracer.startSpan('/helloworld.v1.Greeter/SayHello', { kind: SpanKind.SERVER }); s.end(); return new WeakRef(s); }))();
      assert.equal(await liveAfterGc(refs), 0);
      await tracing.shutdown();
      assert.equal(receiver.spans.length, 20);
      assert.deepEqual(new Set(receiver.spans.map((s) => s.resource['service.name'])), new Set(['orders']));
    } finally {
      await receiver.close();
    }
    process.env['OTEL_EXPORTER_OTLP_ENDPOINT'] = 'http://127.0.0.1:9';
    try {
      const processors = envSpanProcessors() ?? [];
      assert.ok(processors.length === 1 && processors[0] instanceof EncodedBatchSpanProcessor);
      process.env['OTEL_EXPORTER_OTLP_PROTOCOL'] = 'http/json';
      assert.ok(!((envSpanProcessors() ?? [])[0] instanceof EncodedBatchSpanProcessor));
      await Promise.all(processors.map((p) => p.shutdown()));
    } finally {
      delete process.env['OTEL_EXPORTER_OTLP_ENDPOINT'];
      delete process.env['OTEL_EXPORTER_OTLP_PROTOCOL'];
    }
  });

  it('should export a batch as soon as it is full, and a partial one after the scheduled delay', async () => {
    const rec = recordingExporter();
    const tracer = provider([new EncodedBatchSpanProcessor(rec.exporter, { maxExportBatchSize: 3, scheduledDelayMillis: 100 })]).getTracer('kratos');
    for (let i = 0; i < 4; i++) tracer.startSpan(`s${i}`).end();
    assert.deepEqual(rec.encoded.map((r) => r.length), [3]);
    await sleep(30);
    assert.deepEqual(rec.encoded.map((r) => r.length), [3]);
    const until = Date.now() + 2000;
    while (rec.encoded.length < 2 && Date.now() < until) await sleep(10);
    assert.deepEqual(rec.encoded.map((r) => r.length), [3, 1]);
  });

  it('should read the batch size, queue size, delay and timeout from OTEL_BSP_* when not given', async () => {
    process.env['OTEL_BSP_MAX_EXPORT_BATCH_SIZE'] = '2';
    try {
      const rec = recordingExporter();
      const tracer = provider([new EncodedBatchSpanProcessor(rec.exporter, { scheduledDelayMillis: 60_000 })]).getTracer('kratos');
      for (let i = 0; i < 2; i++) tracer.startSpan(`s${i}`).end();
      assert.deepEqual(rec.encoded.map((r) => r.length), [2]);
      const given = recordingExporter();
      const other = provider([new EncodedBatchSpanProcessor(given.exporter, { maxExportBatchSize: 4, scheduledDelayMillis: 60_000 })]).getTracer('kratos');
      for (let i = 0; i < 2; i++) other.startSpan(`s${i}`).end();
      assert.equal(given.encoded.length, 0); // the option wins over the variable
    } finally {
      delete process.env['OTEL_BSP_MAX_EXPORT_BATCH_SIZE'];
    }
  });

  it('should drop spans past the queue bound while an export is under way, and say so once it takes spans again', async () => {
    const warnings: string[] = [];
    diag.setLogger({ error() {}, warn: (m: string) => void warnings.push(m), info() {}, debug() {}, verbose() {} }, DiagLogLevel.WARN);
    try {
      const rec = recordingExporter('hold');
      const processor = new EncodedBatchSpanProcessor(rec.exporter, { maxExportBatchSize: 2, maxQueueSize: 2, scheduledDelayMillis: 60_000 });
      const tracer = provider([processor]).getTracer('kratos');
      for (let i = 0; i < 5; i++) tracer.startSpan(`s${i}`).end(); // 2 exported (held), 2 queued, 1 dropped
      assert.deepEqual(rec.encoded.map((r) => r.length), [2]);
      rec.release();
      await sleep(0);
      assert.deepEqual(rec.encoded.map((r) => r.length), [2, 2]);
      rec.release();
      await sleep(0);
      tracer.startSpan('after').end();
      assert.deepEqual(warnings, ['Dropped 1 spans because maxQueueSize reached']);
      rec.release();
    } finally {
      diag.disable();
    }
  });

  it('should fail a flush whose export is not answered within the export timeout', async () => {
    const rec = recordingExporter('hold');
    const p = new EncodedBatchSpanProcessor(rec.exporter, { exportTimeoutMillis: 50, scheduledDelayMillis: 60_000 });
    p.onEnd(spansOf(1)[0]!);
    await assert.rejects(p.forceFlush(), /Timeout/);
  });

  it('should pass a failed export to the flush that waited for it', async () => {
    const p = new EncodedBatchSpanProcessor(recordingExporter('fail').exporter, { scheduledDelayMillis: 60_000 });
    p.onEnd(spansOf(1)[0]!);
    await assert.rejects(p.forceFlush(), /collector said no/);
  });

  it('should skip spans that are not sampled', async () => {
    const rec = recordingExporter();
    const processor = new EncodedBatchSpanProcessor(rec.exporter, { scheduledDelayMillis: 60_000 });
    const p = new BasicTracerProvider({ sampler: new AlwaysOffSampler(), spanProcessors: [processor] });
    p.getTracer('kratos').startSpan('not recorded').end();
    for (const span of spansOf(2)) processor.onEnd(Object.create(span as object, { spanContext: { value: () => ({ ...span.spanContext(), traceFlags: TraceFlags.NONE }) } }) as ReadableSpan);
    await processor.forceFlush();
    assert.equal(rec.encoded.length + rec.kept.length, 0);
  });

  it('should hand spans the encoder cannot write to the exporter as spans, in a request of their own', async () => {
    const rec = recordingExporter();
    const processor = new EncodedBatchSpanProcessor(rec.exporter, { scheduledDelayMillis: 60_000 });
    const [plain, other] = spansOf(2);
    const odd = Object.create(other as object, { spanContext: { value: () => ({ ...other!.spanContext(), spanId: 'abc' }) } }) as ReadableSpan;
    processor.onEnd(plain!);
    processor.onEnd(odd);
    await processor.forceFlush();
    assert.deepEqual(rec.encoded.map((r) => r.length), [1]);
    assert.deepEqual(rec.kept, [[odd]]);
  });

  it('should send a span it fails to write through the exporter as a span, leaving the request of the others whole', async () => {
    const rec = recordingExporter();
    const processor = new EncodedBatchSpanProcessor(rec.exporter, { scheduledDelayMillis: 60_000 });
    const [first, broken, last] = spansOf(3);
    const failing = Object.create(broken as object, { attributes: { get: () => { throw new Error('unreadable'); } } }) as ReadableSpan;
    processor.onEnd(first!);
    assert.doesNotThrow(() => processor.onEnd(failing));
    processor.onEnd(last!);
    await processor.forceFlush();
    assert.deepEqual(rec.kept, [[failing]]);
    assert.equal(rec.encoded.length, 1);
    assert.deepEqual(Buffer.from(rec.encoded[0]!.bytes), Buffer.from(ProtobufTraceSerializer.serializeRequest([first!, last!])!));
    // A request that cannot be written (its resource unreadable) fails its export, not the span's end.
    const unreadable = Object.create(first!.resource as object, { attributes: { get: () => { throw new Error('resource gone'); } } }) as ReadableSpan['resource'];
    const orphan = Object.create(spansOf(1)[0] as object, { resource: { value: unreadable } }) as ReadableSpan;
    const full = new EncodedBatchSpanProcessor(recordingExporter().exporter, { maxExportBatchSize: 1, scheduledDelayMillis: 60_000 });
    assert.doesNotThrow(() => full.onEnd(orphan)); // its export starts here
    const later = new EncodedBatchSpanProcessor(recordingExporter().exporter, { scheduledDelayMillis: 60_000 });
    later.onEnd(orphan);
    await assert.rejects(later.forceFlush(), /resource gone/);
    // A batch whose only span fails sends no empty request.
    const alone = recordingExporter();
    const other = new EncodedBatchSpanProcessor(alone.exporter, { scheduledDelayMillis: 60_000 });
    other.onEnd(failing);
    await other.forceFlush();
    assert.deepEqual([alone.encoded.length, alone.kept.length], [0, 1]);
  });

  it('should arm no timer while nothing waits', async () => {
    const DELAY = 37;
    const armed: number[] = [];
    const original = globalThis.setTimeout;
    globalThis.setTimeout = ((fn: () => void, ms?: number) => (ms === DELAY && armed.push(ms), original(fn, ms))) as typeof setTimeout;
    try {
      const rec = recordingExporter();
      const tracer = provider([new EncodedBatchSpanProcessor(rec.exporter, { scheduledDelayMillis: DELAY })]).getTracer('kratos');
      tracer.startSpan('one').end();
      tracer.startSpan('two').end();
      await sleep(DELAY * 6);
      assert.deepEqual(rec.encoded.map((r) => r.length), [2]);
      assert.equal(armed.length, 1);
    } finally {
      globalThis.setTimeout = original;
    }
  });

  it('should wait for a resource still detecting its attributes before exporting its spans', async () => {
    const rec = recordingExporter();
    const processor = new EncodedBatchSpanProcessor(rec.exporter, { scheduledDelayMillis: 60_000 });
    const [span] = spansOf(1);
    let settled = false;
    const resource = Object.create(span!.resource as object, {
      asyncAttributesPending: { get: () => !settled },
      waitForAsyncAttributes: { value: () => sleep(20).then(() => void (settled = true)) },
    }) as ReadableSpan['resource'];
    processor.onEnd(Object.create(span as object, { resource: { value: resource } }) as ReadableSpan);
    await processor.forceFlush();
    assert.equal(settled, true);
    assert.equal(rec.kept.length, 1);
  });

  it('should flush and shut its exporter down once, and take no span after', async () => {
    const rec = recordingExporter();
    const processor = new EncodedBatchSpanProcessor(rec.exporter, { scheduledDelayMillis: 60_000 });
    const [first, second] = spansOf(2);
    processor.onEnd(first!);
    await Promise.all([processor.shutdown(), processor.shutdown()]); // once
    processor.onEnd(second!);
    await processor.forceFlush();
    assert.deepEqual(rec.encoded.map((r) => r.length), [1]);
    assert.equal(rec.shutdowns(), 1);
  });
});

/** `n` ended sampled spans, not given to any processor. */
function spansOf(n: number): ReadableSpan[] {
  const ended: ReadableSpan[] = [];
  const tracer = provider([{ onStart() {}, onEnd: (s) => void ended.push(s), forceFlush: async () => {}, shutdown: async () => {} }]).getTracer('kratos');
  for (let i = 0; i < n; i++) tracer.startSpan(`span ${i}`).end();
  return ended;
}
