import { context, diag, TraceFlags } from '@opentelemetry/api';
import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { lazyRequire } from '../internal/index.js';
import { encodable, encodeWritten, writeSpanEntry } from './otel-otlp-encoding.js';
import { EncodedSpans, type OtlpProtoExporter } from './otel-otlp-exporter.js';
import { ProtoWriter } from './otel-otlp-writer.js';

const otelSdk = lazyRequire<typeof import('./otel-sdk.js')>('./otel-sdk.js', import.meta.url);
const core = () => otelSdk().core;

type Resource = ReadableSpan['resource'];
type Scope = ReadableSpan['instrumentationScope'];

/** The batching of OTel's BatchSpanProcessor, and the OTEL_BSP_* variable that sets each when it is not given. */
export interface EncodedBatchOptions {
  maxExportBatchSize?: number;
  maxQueueSize?: number;
  scheduledDelayMillis?: number;
  exportTimeoutMillis?: number;
}
const FROM_ENV = [
  ['maxExportBatchSize', 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE'],
  ['maxQueueSize', 'OTEL_BSP_MAX_QUEUE_SIZE'],
  ['scheduledDelayMillis', 'OTEL_BSP_SCHEDULE_DELAY'],
  ['exportTimeoutMillis', 'OTEL_BSP_EXPORT_TIMEOUT'],
] as const;

// Writers of finished batches, kept for the next ones: a batch of 512 server spans is about 120 KB.
const spare: ProtoWriter[] = [];
const MAX_SPARE = 8;

/** The spans of one export request: written as they end, grouped by resource and scope; the few the encoder cannot write kept as spans. */
class Batch {
  readonly written = new Map<Resource, Map<Scope, ProtoWriter>>();
  readonly kept: ReadableSpan[] = [];
  count = 0;

  add(span: ReadableSpan): void {
    this.count++;
    if (span.resource.asyncAttributesPending === true || !encodable(span)) {
      this.kept.push(span);
      return;
    }
    let byScope = this.written.get(span.resource);
    if (byScope === undefined) this.written.set(span.resource, (byScope = new Map()));
    let w = byScope.get(span.instrumentationScope);
    if (w === undefined) byScope.set(span.instrumentationScope, (w = spare.pop() ?? new ProtoWriter(16 * 1024)));
    const start = w.pos;
    try {
      writeSpanEntry(w, span);
    } catch {
      // Ending a span must not throw into the call that ended it: the SDK's serializer gets this one.
      w.pos = start;
      this.kept.push(span);
    }
  }

  /** The export request of the written spans (undefined if none), their writers given back. */
  request(): EncodedSpans | undefined {
    try {
      // A scope whose only spans failed to encode has an empty writer: it is not in the request.
      const groups = [...this.written]
        .map(([resource, byScope]) => [resource, [...byScope].filter(([, w]) => w.pos > 0).map(([scope, w]) => [scope, w.buf.subarray(0, w.pos)] as const)] as const)
        .filter(([, scopes]) => scopes.length > 0);
      return groups.length === 0 ? undefined : new EncodedSpans(encodeWritten(groups), this.count - this.kept.length);
    } finally {
      for (const byScope of this.written.values()) {
        for (const w of byScope.values()) {
          w.reset();
          if (spare.length < MAX_SPARE) spare.push(w);
        }
      }
      this.written.clear();
    }
  }
}

/**
 * OTel's BatchSpanProcessor for the OTLP http/protobuf exporter, with each span written to the
 * export request's bytes as it ends instead of kept until the batch goes: the same batches (size,
 * queue bound, delay, timeout, OTEL_BSP_* variables), requests and drop rules, but an ended span is
 * garbage at once. The SDK's processor keeps up to a batch of span objects alive across the young
 * generation's collections, which then copy and promote them (docs/performance.md, "The fifteenth
 * round").
 */
export class EncodedBatchSpanProcessor implements SpanProcessor {
  readonly #exporter: OtlpProtoExporter;
  readonly #batchSize: number;
  readonly #queueSize: number;
  readonly #delay: number;
  readonly #timeout: number;
  readonly #full: Batch[] = [];
  #current = new Batch();
  #queued = 0;
  #dropped = 0;
  #exporting = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopping: Promise<void> | undefined;

  constructor(exporter: OtlpProtoExporter, options: EncodedBatchOptions = {}) {
    const o: EncodedBatchOptions = { ...options };
    for (const [key, name] of FROM_ENV) {
      const fromEnv = o[key] === undefined ? core().getNumberFromEnv(name) : undefined;
      if (fromEnv !== undefined) o[key] = fromEnv;
    }
    this.#exporter = exporter;
    this.#queueSize = o.maxQueueSize ?? 2048;
    this.#batchSize = o.maxExportBatchSize ?? 512;
    this.#delay = o.scheduledDelayMillis ?? 5000;
    this.#timeout = o.exportTimeoutMillis ?? 30000;
    if (this.#batchSize > this.#queueSize) {
      diag.warn('BatchSpanProcessor: maxExportBatchSize must be smaller or equal to maxQueueSize, setting maxExportBatchSize to match maxQueueSize');
      this.#batchSize = this.#queueSize;
    }
  }

  onStart(): void {}

  onEnd(span: ReadableSpan): void {
    if (this.#stopping !== undefined || (span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    if (this.#queued >= this.#queueSize) {
      if (this.#dropped++ === 0) diag.debug('maxQueueSize reached, dropping spans');
      return;
    }
    if (this.#dropped > 0) {
      diag.warn(`Dropped ${this.#dropped} spans because maxQueueSize reached`);
      this.#dropped = 0;
    }
    this.#current.add(span);
    this.#queued++;
    if (this.#current.count >= this.#batchSize) {
      this.#full.push(this.#current);
      this.#current = new Batch();
    }
    this.#schedule();
  }

  forceFlush(): Promise<void> {
    return this.#stopping ?? this.#flushAll();
  }

  shutdown(): Promise<void> {
    return (this.#stopping ??= this.#flushAll().then(() => this.#exporter.shutdown()));
  }

  /** Exports a full batch now, or the partial one after the delay, unless an export is under way (its end schedules the next). */
  #schedule(): void {
    if (this.#exporting) return;
    if (this.#full.length > 0) {
      this.#exporting = true;
      this.#flushOne()
        .catch((e: unknown) => core().globalErrorHandler(e as Error))
        .finally(() => {
          this.#exporting = false;
          if (this.#queued > 0) {
            this.#clearTimer();
            this.#schedule();
          }
        });
      return;
    }
    if (this.#timer !== undefined || this.#current.count === 0) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.#current.count === 0) return;
      this.#full.push(this.#current);
      this.#current = new Batch();
      this.#schedule();
    }, this.#delay);
    this.#timer.unref();
  }

  #clearTimer(): void {
    if (this.#timer === undefined) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #flushAll(): Promise<void> {
    const batches = this.#full.length + (this.#current.count > 0 ? 1 : 0);
    const flushes: Promise<void>[] = [];
    for (let i = 0; i < batches; i++) flushes.push(this.#flushOne());
    return Promise.all(flushes).then(() => undefined);
  }

  /** Exports the oldest batch: its written spans as one request, any kept spans through the exporter's own serializer. */
  #flushOne(): Promise<void> {
    this.#clearTimer();
    let batch = this.#full.shift();
    if (batch === undefined && this.#current.count > 0) {
      batch = this.#current;
      this.#current = new Batch();
    }
    if (batch === undefined) return Promise.resolve();
    this.#queued -= batch.count;
    const { kept } = batch;
    try {
      // The exporter's own HTTP request is not traced.
      return context.with(core().suppressTracing(context.active()), () => {
        const encoded = batch.request();
        const sends: Promise<void>[] = [];
        if (encoded !== undefined) sends.push(this.#send((done) => this.#exporter.exportEncoded(encoded, done)));
        if (kept.length > 0) sends.push(this.#send((done) => this.#exportKept(kept, done)));
        return Promise.all(sends).then(() => undefined);
      });
    } catch (e) {
      // A request that cannot be written fails its export, as the SDK's serializer failing would: never the span's end.
      return Promise.reject(e instanceof Error ? e : new Error(String(e)));
    }
  }

  #exportKept(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    const pending = spans.flatMap((s) => (s.resource.asyncAttributesPending === true && s.resource.waitForAsyncAttributes !== undefined ? [s.resource.waitForAsyncAttributes()] : []));
    if (pending.length === 0) return this.#exporter.export(spans, done);
    Promise.all(pending).then(
      () => this.#exporter.export(spans, done),
      (error: unknown) => done({ code: core().ExportResultCode.FAILED, error: error instanceof Error ? error : new Error(String(error)) }),
    );
  }

  /** One export, failed after the export timeout if the exporter has not answered by then. */
  #send(start: (done: (result: ExportResult) => void) => void): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('Timeout')), this.#timeout);
      start((result) => {
        clearTimeout(timer);
        if (result.code === core().ExportResultCode.SUCCESS) resolve();
        else reject(result.error ?? new Error('BatchSpanProcessor: span export failed'));
      });
    });
  }
}
