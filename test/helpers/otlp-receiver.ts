import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import protobuf from 'protobufjs';
import { repoPath } from './echo-service.js';

/** A span as a collector saw it, from either OTLP protocol. */
export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  /** '' for a root span. */
  parentSpanId: string;
  name: string;
  /** OTLP SpanKind: 1 INTERNAL, 2 SERVER, 3 CLIENT. */
  kind: number;
  attributes: Record<string, unknown>;
  /** OTLP StatusCode: 0 UNSET, 1 OK, 2 ERROR. */
  statusCode: number;
  scope: string;
  resource: Record<string, unknown>;
}

/** One export request: path, content type and headers as sent. */
export interface ReceivedExport {
  path: string;
  contentType: string;
  headers: IncomingHttpHeaders;
}

/** An OTLP/HTTP trace receiver on 127.0.0.1 (http/protobuf and http/json), like a collector's. */
export interface OtlpReceiver {
  /** `http://127.0.0.1:<port>`: an OTEL_EXPORTER_OTLP_ENDPOINT (the exporter appends /v1/traces). */
  readonly url: string;
  readonly spans: ReceivedSpan[];
  readonly exports: ReceivedExport[];
  /** Each export request's body as received, in order. */
  readonly bodies: Buffer[];
  /** Forgets what was received so far. */
  reset(): void;
  close(): Promise<void>;
}

const EXPORT_REQUEST = 'opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest';

type AnyValue = { stringValue?: string; boolValue?: boolean; intValue?: unknown; doubleValue?: number; arrayValue?: { values?: AnyValue[] } };
type KeyValue = { key: string; value?: AnyValue };

function valueOf(v: AnyValue | undefined): unknown {
  if (v === undefined) return undefined;
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.intValue !== undefined) return Number(String(v.intValue));
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.arrayValue !== undefined) return (v.arrayValue.values ?? []).map(valueOf);
  return undefined;
}

function attributesOf(kvs: KeyValue[] | undefined): Record<string, unknown> {
  return Object.fromEntries((kvs ?? []).map((kv) => [kv.key, valueOf(kv.value)]));
}

// Ids are bytes in protobuf and hex strings in OTLP/JSON.
const hex = (id: unknown): string => (id === undefined || id === null ? '' : typeof id === 'string' ? id.toLowerCase() : Buffer.from(id as Uint8Array).toString('hex'));

type RawRequest = {
  resourceSpans?: {
    resource?: { attributes?: KeyValue[] };
    scopeSpans?: { scope?: { name?: string }; spans?: { traceId?: unknown; spanId?: unknown; parentSpanId?: unknown; name?: string; kind?: number; attributes?: KeyValue[]; status?: { code?: number } }[] }[];
  }[];
};

function spansOf(request: RawRequest): ReceivedSpan[] {
  return (request.resourceSpans ?? []).flatMap((rs) => {
    const resource = attributesOf(rs.resource?.attributes);
    return (rs.scopeSpans ?? []).flatMap((ss) => (ss.spans ?? []).map((s) => ({
      traceId: hex(s.traceId),
      spanId: hex(s.spanId),
      parentSpanId: hex(s.parentSpanId),
      name: s.name ?? '',
      kind: s.kind ?? 0,
      attributes: attributesOf(s.attributes),
      statusCode: s.status?.code ?? 0,
      scope: ss.scope?.name ?? '',
      resource,
    })));
  });
}

/** Starts a receiver decoding ExportTraceServiceRequest with the opentelemetry-proto message shapes. */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const root = new protobuf.Root().loadSync(repoPath('test/fixtures/otlp/trace_service.proto'));
  const requestType = root.lookupType(EXPORT_REQUEST);
  const spans: ReceivedSpan[] = [];
  const exports: ReceivedExport[] = [];
  const bodies: Buffer[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const contentType = String(req.headers['content-type'] ?? '').split(';')[0] as string;
      exports.push({ path: req.url ?? '', contentType, headers: req.headers });
      const body = Buffer.concat(chunks);
      bodies.push(body);
      try {
        const raw = contentType === 'application/json'
          ? (JSON.parse(body.toString('utf8')) as RawRequest)
          : (requestType.toObject(requestType.decode(body), { enums: Number, longs: String }) as RawRequest);
        spans.push(...spansOf(raw));
      } catch (err) {
        res.writeHead(400, { 'content-type': 'text/plain' }).end(String(err));
        return;
      }
      // An empty ExportTraceServiceResponse: full success.
      if (contentType === 'application/json') res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      else res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    exports,
    bodies,
    reset() {
      spans.length = 0;
      exports.length = 0;
      bodies.length = 0;
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
