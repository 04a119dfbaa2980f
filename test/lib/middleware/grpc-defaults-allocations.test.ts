import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Metadata } from '@grpc/grpc-js';
import { Metadata as KratosMetadata } from '../../../lib/metadata/index.js';
import { metadataServer } from '../../../lib/middleware/metadata/index.js';
import { tracingServer } from '../../../lib/middleware/tracing/index.js';
import { createTracing } from '../../../lib/tracing/index.js';
import { MetadataHeader } from '../../../lib/transport/grpc/metadata-header.js';
import { runWithContext, type Context } from '../../../lib/transport/index.js';
import { bytesPerCall } from '../../helpers/allocations.js';

/** A unary gRPC server call's context, with the request metadata h2load and grpc-js clients send. */
function grpcCall(extra: Record<string, string> = {}): Context {
  const md = Metadata.fromHttp2Headers({ 'user-agent': 'grpc-node-js/1.12.6', te: 'trailers', 'content-type': 'application/grpc', 'grpc-accept-encoding': 'identity,deflate,gzip', ...extra });
  const ctx = {
    kind: 'grpc', side: 'server', operation: '/helloworld.v1.Greeter/SayHello', endpoint: '', requestHeader: new MetadataHeader(md),
    replyHeader: new MetadataHeader(), signal: new AbortController().signal, aborted: false, deadline: undefined, metadata: new KratosMetadata(), unaryReply: true,
  };
  return ctx as Context;
}

// The built library's files (dist/lib), not this test's own.
const OURS = ['/dist/lib/tracing/', '/dist/lib/middleware/', '/dist/lib/transport/grpc/'];
const tracing = createTracing({ serviceName: 'svc', exporter: 'memory' });
after(() => tracing.shutdown());

// Bytes counted by V8's sampling heap profiler over 20,000 calls, in the functions of lib/tracing, the
// middleware and the gRPC transport only (docs/performance.md "The seventh round: gRPC defaults,
// allocation per call"). Before that round: about 470 and 440 bytes a call; after it about 150 and 40.
describe('the gRPC defaults, allocation per unary call', () => {
  it('should give an unsampled call its context and ids in about one object and two strings (tracing, sampler off)', async () => {
    const reply = Promise.resolve({ message: 'Hello' });
    const handler = tracingServer(tracing)(() => reply);
    const ctx = grpcCall();
    const run = (): unknown => handler({ name: 'x' }, ctx);
    const { total, byFunction } = await bytesPerCall(() => runWithContext(ctx, run), OURS);
    assert.ok(total < 250, `${total.toFixed(0)} bytes a call: ${JSON.stringify([...byFunction])}`);
  });

  it('should scan the request metadata for x-md-* without copying its keys', async () => {
    const reply = Promise.resolve({ message: 'Hello' });
    const handler = metadataServer()(() => reply);
    const ctx = grpcCall();
    const { total, byFunction } = await bytesPerCall(() => handler({ name: 'x' }, ctx), OURS);
    assert.ok(total < 120, `${total.toFixed(0)} bytes a call: ${JSON.stringify([...byFunction])}`);
    // The scan still finds what it looks for.
    const withMd = grpcCall({ 'x-md-global-tenant': 't1', 'x-md-local-user': 'u1' });
    await handler({ name: 'x' }, withMd);
    assert.deepEqual([withMd.metadata.get('x-md-global-tenant'), withMd.metadata.get('x-md-local-user')], ['t1', 'u1']);
  });
});
