import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { encodeSpans } from '../../../lib/tracing/otel-otlp-encoding.js';

// The export requests of known spans, pinned byte for byte (written by main's encoder at 9f1a5f2 and
// equal to the OTel SDK serializer's), so that a change to how a batch is written cannot change what
// a collector receives: a batch of one resource and scope (a server's usual batch, written as it
// comes), and one with a second scope between (grouped by scope in order of first appearance).

const resource = resourceFromAttributes({ 'service.name': 'greeter', 'service.version': 'v1' });
const kratos = { name: 'kratos' };
const userLib = { name: 'user-lib', version: '1.0.0' };
const operation = { 'rpc.system': 'http', 'rpc.service': 'helloworld.v1.Greeter', 'rpc.method': 'SayHello', 'http.route': '/helloworld.v1.Greeter/SayHello' };

function span(name: string, spanId: string, scope: ReadableSpan['instrumentationScope'], status: ReadableSpan['status'], extra: Record<string, string | number> = {}): ReadableSpan {
  return {
    name, kind: 1, spanContext: () => ({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId, traceFlags: 1 }),
    parentSpanContext: { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1, isRemote: true },
    startTime: [1_764_374_400, 123_000_000], endTime: [1_764_374_400, 123_456_789], duration: [0, 456_789], ended: true,
    status, attributes: { ...operation, ...extra }, links: [], events: [], droppedAttributesCount: 0, droppedEventsCount: 0, droppedLinksCount: 0,
    resource, instrumentationScope: scope,
  };
}

const ok = span('/helloworld.v1.Greeter/SayHello', '00f067aa0ba902b7', kratos, { code: 1 });
const failed = span('/helloworld.v1.Greeter/SayHello', '00f067aa0ba902b8', kratos, { code: 2, message: 'not found' }, { 'rpc.status_code': 404 });
const theirs = span('work', '00f067aa0ba902b9', userLib, { code: 0 });

const ONE_SCOPE = '0ad6040a360a190a0c736572766963652e6e616d6512090a07677265657465720a170a0f736572766963652e76657273696f6e12040a0276311000129b040a080a066b7261746f7312f4010a100af7651916cd43dd8448eb211c80319c120800f067aa0ba902b72208b7ad6b71692033312a1f2f68656c6c6f776f726c642e76312e477265657465722f53617948656c6c6f300239c0d41f3a2b517c184115cd263a2b517c184a140a0a7270632e73797374656d12060a04687474704a260a0b7270632e7365727669636512170a1568656c6c6f776f726c642e76312e477265657465724a180a0a7270632e6d6574686f64120a0a0853617948656c6c6f4a2f0a0a687474702e726f75746512210a1f2f68656c6c6f776f726c642e76312e477265657465722f53617948656c6c6f5000600070007a0218018501010300001297020a100af7651916cd43dd8448eb211c80319c120800f067aa0ba902b82208b7ad6b71692033312a1f2f68656c6c6f776f726c642e76312e477265657465722f53617948656c6c6f300239c0d41f3a2b517c184115cd263a2b517c184a140a0a7270632e73797374656d12060a04687474704a260a0b7270632e7365727669636512170a1568656c6c6f776f726c642e76312e477265657465724a180a0a7270632e6d6574686f64120a0a0853617948656c6c6f4a2f0a0a687474702e726f75746512210a1f2f68656c6c6f776f726c642e76312e477265657465722f53617948656c6c6f4a160a0f7270632e7374617475735f636f646512031894035000600070007a0d12096e6f7420666f756e641802850101030000';
const TWO_SCOPES = '0ac8060a360a190a0c736572766963652e6e616d6512090a07677265657465720a170a0f736572766963652e76657273696f6e12040a0276311000129b040a080a066b7261746f7312f4010a100af7651916cd43dd8448eb211c80319c120800f067aa0ba902b72208b7ad6b71692033312a1f2f68656c6c6f776f726c642e76312e477265657465722f53617948656c6c6f300239c0d41f3a2b517c184115cd263a2b517c184a140a0a7270632e73797374656d12060a04687474704a260a0b7270632e7365727669636512170a1568656c6c6f776f726c642e76312e477265657465724a180a0a7270632e6d6574686f64120a0a0853617948656c6c6f4a2f0a0a687474702e726f75746512210a1f2f68656c6c6f776f726c642e76312e477265657465722f53617948656c6c6f5000600070007a0218018501010300001297020a100af7651916cd43dd8448eb211c80319c120800f067aa0ba902b82208b7ad6b71692033312a1f2f68656c6c6f776f726c642e76312e477265657465722f53617948656c6c6f300239c0d41f3a2b517c184115cd263a2b517c184a140a0a7270632e73797374656d12060a04687474704a260a0b7270632e7365727669636512170a1568656c6c6f776f726c642e76312e477265657465724a180a0a7270632e6d6574686f64120a0a0853617948656c6c6f4a2f0a0a687474702e726f75746512210a1f2f68656c6c6f776f726c642e76312e477265657465722f53617948656c6c6f4a160a0f7270632e7374617475735f636f646512031894035000600070007a0d12096e6f7420666f756e64180285010103000012ef010a110a08757365722d6c69621205312e302e3012d9010a100af7651916cd43dd8448eb211c80319c120800f067aa0ba902b92208b7ad6b71692033312a04776f726b300239c0d41f3a2b517c184115cd263a2b517c184a140a0a7270632e73797374656d12060a04687474704a260a0b7270632e7365727669636512170a1568656c6c6f776f726c642e76312e477265657465724a180a0a7270632e6d6574686f64120a0a0853617948656c6c6f4a2f0a0a687474702e726f75746512210a1f2f68656c6c6f776f726c642e76312e477265657465722f53617948656c6c6f5000600070007a021800850101030000';

const hex = (bytes: Uint8Array | undefined): string => Buffer.from(bytes ?? new Uint8Array()).toString('hex');

describe('encodeSpans (known spans)', () => {
  it('should write a batch of one resource and scope to the bytes pinned here, which are the SDK serializer\'s', () => {
    assert.equal(hex(encodeSpans([ok, failed])), ONE_SCOPE);
    assert.equal(hex(ProtobufTraceSerializer.serializeRequest([ok, failed])), ONE_SCOPE);
  });

  it('should write a batch of two scopes grouped by scope in order of first appearance, to the bytes pinned here', () => {
    assert.equal(hex(encodeSpans([ok, theirs, failed])), TWO_SCOPES);
    assert.equal(hex(ProtobufTraceSerializer.serializeRequest([ok, theirs, failed])), TWO_SCOPES);
  });

  it('should write the same bytes for the same batch again (the writer and its caches reused)', () => {
    for (let i = 0; i < 3; i++) assert.equal(hex(encodeSpans([ok, failed])), ONE_SCOPE);
  });

  it('should write an empty request for an empty batch', () => {
    assert.equal(hex(encodeSpans([])), '');
  });
});
