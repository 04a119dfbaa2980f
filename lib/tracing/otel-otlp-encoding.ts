import type { Attributes, HrTime, Link, SpanContext } from '@opentelemetry/api';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace-base';
import { encoded, writeAttributes } from './otel-otlp-attributes.js';
import { ProtoWriter } from './otel-otlp-writer.js';

// OTLP http/protobuf export requests (opentelemetry-proto, collector/trace/v1 ExportTraceServiceRequest),
// written with what repeats from span to span encoded once: the resource and the instrumentation scope
// per object, a span name per name, and a string attribute per key and value (an operation's span name
// and attributes are the same strings call after call). Per span only its ids, times, status, counts
// and other attributes are written. The bytes are the OTel SDK serializer's (field order, which empty
// fields are skipped, how numbers are written): test/lib/tracing/otel-otlp-encoding.test.ts compares
// them for every kind of span and value, and decodes them with protoc.

type Scope = ReadableSpan['instrumentationScope'];
type Resource = ReadableSpan['resource'];

const MAX_CACHED = 10_000;
const MAX_CACHED_NAME = 256;
const names = new Map<string, Uint8Array>();
const resources = new WeakMap<Resource, Uint8Array>();
const scopes = new WeakMap<Scope, Uint8Array>();

// One writer for the requests, reused; the parts kept in the caches are written apart, when first seen.
let out: ProtoWriter | undefined;

/** Whether {@link encodeSpans} writes `span` (ids of 32 and 16 characters, whole non-negative times); else the SDK's serializer must. */
export function encodable(span: ReadableSpan): boolean {
  const sc = span.spanContext();
  const parent = span.parentSpanContext?.spanId;
  return sc.traceId.length === 32 && sc.spanId.length === 16 && (parent === undefined || parent === '' || parent.length === 16) && plainTime(span.startTime) && plainTime(span.endTime);
}

function plainTime(t: HrTime): boolean {
  return Number.isInteger(t[0]) && Number.isInteger(t[1]) && t[0] >= 0 && t[1] >= 0 && t[0] < 2 ** 32;
}

/** The export request of `spans`, or undefined when one of them is for the SDK's serializer (see {@link encodable}). */
export function encodeSpans(spans: readonly ReadableSpan[]): Uint8Array | undefined {
  // A server's spans almost always share one resource and one scope: then they are written as they
  // come, with no grouping built per batch (a map and an array pushed to per span).
  const w = (out ??= new ProtoWriter(64 * 1024));
  w.reset();
  const first = spans[0];
  if (first === undefined) return w.finish();
  let oneGroup = true;
  for (const span of spans) {
    if (!encodable(span)) return undefined;
    if (span.resource !== first.resource || span.instrumentationScope !== first.instrumentationScope) oneGroup = false;
  }
  if (oneGroup) {
    writeResourceSpans(w, first.resource, [[first.instrumentationScope, spans]]);
    return w.finish();
  }
  // Grouped by resource, then scope, by identity and in order of first appearance, as the SDK groups them.
  const groups = new Map<Resource, Map<Scope, ReadableSpan[]>>();
  for (const span of spans) {
    let byScope = groups.get(span.resource);
    if (byScope === undefined) groups.set(span.resource, (byScope = new Map()));
    const list = byScope.get(span.instrumentationScope);
    if (list === undefined) byScope.set(span.instrumentationScope, [span]);
    else list.push(span);
  }
  for (const [resource, byScope] of groups) writeResourceSpans(w, resource, byScope);
  return w.finish();
}

/**
 * The export request of spans already written by {@link writeSpanEntry}, grouped by resource and then
 * scope in the order each was first seen (as the SDK groups them).
 */
export function encodeWritten(groups: Iterable<readonly [Resource, Iterable<readonly [Scope, Uint8Array]>]>): Uint8Array {
  const w = (out ??= new ProtoWriter(64 * 1024));
  w.reset();
  for (const [resource, byScope] of groups) writeResourceSpans(w, resource, byScope);
  return w.finish();
}

/** One span as an entry of ScopeSpans.spans (tag, length and body), for {@link encodeWritten}. */
export function writeSpanEntry(w: ProtoWriter, span: ReadableSpan): void {
  w.byte(0x12); // spans = 2
  const s = w.begin();
  writeSpan(w, span);
  w.end(s);
}

// A scope's spans: the span objects, or their entries already written.
function writeResourceSpans(w: ProtoWriter, resource: Resource, byScope: Iterable<readonly [Scope, readonly ReadableSpan[] | Uint8Array]>): void {
  w.byte(0x0a); // resource_spans = 1
  const resourceSpans = w.begin();
  w.byte(0x0a); // resource = 1
  w.raw(resourceBytes(resource));
  for (const [scope, list] of byScope) {
    w.byte(0x12); // scope_spans = 2
    const scopeSpans = w.begin();
    w.byte(0x0a); // scope = 1
    w.raw(scopeBytes(scope));
    if (list instanceof Uint8Array) w.raw(list);
    else for (const span of list) writeSpanEntry(w, span);
    if (scope.schemaUrl) {
      w.byte(0x1a);
      w.string(scope.schemaUrl);
    }
    w.end(scopeSpans);
  }
  if (resource.schemaUrl) {
    w.byte(0x1a);
    w.string(resource.schemaUrl);
  }
  w.end(resourceSpans);
}

function writeSpan(w: ProtoWriter, span: ReadableSpan): void {
  const sc = span.spanContext();
  w.byte(0x0a);
  w.hexId(sc.traceId);
  w.byte(0x12);
  w.hexId(sc.spanId);
  const traceState = sc.traceState?.serialize();
  if (traceState) {
    w.byte(0x1a);
    w.string(traceState);
  }
  const parent = span.parentSpanContext;
  if (parent?.spanId) {
    w.byte(0x22);
    w.hexId(parent.spanId);
  }
  w.byte(0x2a);
  w.raw(nameBytes(span.name));
  const kind = span.kind == null ? 0 : span.kind + 1;
  if (kind !== 0) {
    w.byte(0x30);
    w.varint(kind);
  }
  w.byte(0x39);
  w.hrTime(span.startTime[0], span.startTime[1]);
  w.byte(0x41);
  w.hrTime(span.endTime[0], span.endTime[1]);
  if (span.attributes) writeAttributes(w, span.attributes, 0x4a);
  w.byte(0x50);
  w.varint(span.droppedAttributesCount);
  for (const event of span.events) {
    w.byte(0x5a);
    writeEvent(w, event);
  }
  w.byte(0x60);
  w.varint(span.droppedEventsCount);
  for (const link of span.links) {
    w.byte(0x6a);
    writeLink(w, link);
  }
  w.byte(0x70);
  w.varint(span.droppedLinksCount);
  w.byte(0x7a); // status = 15
  const status = w.begin();
  if (span.status.message) {
    w.byte(0x12);
    w.string(span.status.message);
  }
  w.byte(0x18);
  w.varint(span.status.code);
  w.end(status);
  w.varint(0x85); // flags = 16, fixed32
  w.fixed32(flags(sc, parent?.isRemote));
}

// W3C trace flags, then "has is_remote" (0x100) and "is remote" (0x200).
function flags(sc: SpanContext, remote: boolean | undefined): number {
  return (sc.traceFlags & 0xff) | 0x100 | (remote ? 0x200 : 0);
}

function writeEvent(w: ProtoWriter, event: TimedEvent): void {
  const e = w.begin();
  w.byte(0x09);
  w.hrTime(event.time[0], event.time[1]);
  w.byte(0x12);
  w.string(event.name);
  if (event.attributes) writeAttributes(w, event.attributes, 0x1a);
  w.byte(0x20);
  w.varint(event.droppedAttributesCount || 0);
  w.end(e);
}

function writeLink(w: ProtoWriter, link: Link & { droppedAttributesCount?: number }): void {
  const l = w.begin();
  const sc = link.context;
  w.byte(0x0a);
  w.hexId(sc.traceId);
  w.byte(0x12);
  w.hexId(sc.spanId);
  const traceState = sc.traceState?.serialize();
  if (traceState) {
    w.byte(0x1a);
    w.string(traceState);
  }
  if (link.attributes) writeAttributes(w, link.attributes, 0x22);
  w.byte(0x28);
  w.varint(link.droppedAttributesCount || 0);
  w.byte(0x35);
  w.fixed32(flags(sc, sc.isRemote));
  w.end(l);
}

/**
 * `key` as `write` encodes it, kept in `cache` when `keep`: each part encoded once, when first seen.
 * `write` is a function of the module, given the key, so a lookup makes no closure.
 */
function memo<K>(cache: { get(key: K): Uint8Array | undefined; set(key: K, bytes: Uint8Array): unknown }, key: K, keep: boolean, write: (w: ProtoWriter, key: K) => void): Uint8Array {
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const bytes = encoded((w) => write(w, key));
  if (keep) cache.set(key, bytes);
  return bytes;
}

const writeName = (w: ProtoWriter, name: string): void => w.string(name);

function nameBytes(name: string): Uint8Array {
  return memo(names, name, names.size < MAX_CACHED && name.length <= MAX_CACHED_NAME, writeName);
}

/** The Resource message, length prefix included; kept per resource once its attributes are settled. */
function resourceBytes(resource: Resource): Uint8Array {
  return memo(resources, resource, resource.asyncAttributesPending !== true, writeResource);
}

function writeResource(w: ProtoWriter, resource: Resource): void {
  const r = w.begin();
  if (resource.attributes) writeAttributes(w, resource.attributes, 0x0a);
  w.byte(0x10);
  w.byte(0);
  w.end(r);
}

function scopeBytes(scope: Scope): Uint8Array {
  return memo(scopes, scope, true, writeScope);
}

function writeScope(w: ProtoWriter, scope: Scope): void {
  const s = w.begin();
  w.byte(0x0a);
  w.string(scope.name);
  if (scope.version) {
    w.byte(0x12);
    w.string(scope.version);
  }
  const attributes = (scope as { attributes?: Attributes }).attributes;
  if (attributes) writeAttributes(w, attributes, 0x1a);
  const dropped = (scope as { droppedAttributesCount?: number }).droppedAttributesCount;
  if (dropped) {
    w.byte(0x20);
    w.varint(dropped);
  }
  w.end(s);
}
