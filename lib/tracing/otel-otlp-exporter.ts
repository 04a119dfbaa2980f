import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';
import { lazyRequire } from '../internal/index.js';
import { encodeSpans } from './otel-otlp-encoding.js';

// The OTLP packages load with the first exporter built, as the SDK's own exporters do.
const base = lazyRequire<typeof import('@opentelemetry/otlp-exporter-base')>('@opentelemetry/otlp-exporter-base');
const nodeHttp = lazyRequire<typeof import('@opentelemetry/otlp-exporter-base/node-http')>('@opentelemetry/otlp-exporter-base/node-http');
const transformer = lazyRequire<typeof import('@opentelemetry/otlp-transformer')>('@opentelemetry/otlp-transformer');

/** An export request already encoded, and how many spans it holds (`length`: what the SDK's exporter metrics count). */
export class EncodedSpans {
  constructor(
    readonly bytes: Uint8Array,
    readonly length: number,
  ) {}
}

/** The OTLP http/protobuf exporter, which also sends requests already encoded (see EncodedBatchSpanProcessor). */
export interface OtlpProtoExporter extends SpanExporter {
  exportEncoded(request: EncodedSpans, done: (result: ExportResult) => void): void;
}

/**
 * The OTLP http/protobuf span exporter, assembled as @opentelemetry/exporter-trace-otlp-proto
 * assembles its own (the same HTTP transport, retries, headers, compression, timeouts and
 * self-observability metrics, all read from the same OTEL_EXPORTER_OTLP_* variables), with
 * requests written by {@link encodeSpans}: the same bytes, with an operation's constant parts
 * encoded once. A batch it does not write goes through the SDK's serializer.
 */
export function otlpProtoExporter(config: { url?: string }): OtlpProtoExporter {
  const t = transformer();
  const sdkSerializer = t.ProtobufTraceSerializer;
  const serializer = {
    serializeRequest: (spans: ReadableSpan[] | EncodedSpans) =>
      spans instanceof EncodedSpans ? spans.bytes : (encodeSpans(spans) ?? sdkSerializer.serializeRequest(spans)),
    deserializeResponse: (data: Uint8Array) => sdkSerializer.deserializeResponse(data),
  };
  const http = nodeHttp();
  const options = http.convertLegacyHttpOptions(config, 'TRACES', 'v1/traces', { 'Content-Type': 'application/x-protobuf' });
  const delegate = http.createOtlpHttpExportDelegate(options, serializer, 'otlp_http_span_exporter', t.TraceExporterMetricsHelper, undefined);
  const exporter = new (base().OTLPExporterBase)<ReadableSpan[] | EncodedSpans>(delegate);
  return {
    export: (spans, done) => exporter.export(spans, done),
    exportEncoded: (request, done) => exporter.export(request, done),
    forceFlush: () => exporter.forceFlush(),
    shutdown: () => exporter.shutdown(),
  };
}

/** Whether `exporter` is {@link otlpProtoExporter}'s, whose batches can be encoded as spans end. */
export function isOtlpProtoExporter(exporter: SpanExporter): exporter is OtlpProtoExporter {
  return typeof (exporter as Partial<OtlpProtoExporter>).exportEncoded === 'function';
}
