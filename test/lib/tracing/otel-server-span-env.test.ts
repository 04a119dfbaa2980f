import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Metadata } from '../../../lib/metadata/index.js';
import { createTracing, startServerSpan } from '../../../lib/tracing/index.js';
import type { Context } from '../../../lib/transport/index.js';

// A file of its own: the SDK's span class is looked up once per process, with the first recorded call,
// and this is about what the environment does to that lookup.
describe('the server span of a recorded call, with OTEL_TRACES_SAMPLER set in the environment', () => {
  it('should still be recorded and exported when the environment says always_off but the app samples every call', async () => {
    const before = process.env['OTEL_TRACES_SAMPLER'];
    process.env['OTEL_TRACES_SAMPLER'] = 'always_off';
    try {
      const t = createTracing({ serviceName: 'svc', exporter: 'memory', sampleRatio: 1 });
      const ctx: Context = {
        kind: 'http', side: 'server', operation: '/helloworld.v1.Greeter/SayHello', endpoint: '', requestHeader: new Metadata(), replyHeader: new Metadata(),
        signal: new AbortController().signal, deadline: undefined, metadata: new Metadata(),
      };
      for (let i = 0; i < 2; i++) startServerSpan(t, ctx).end(undefined);
      const spans = t.memoryExporter?.getFinishedSpans() ?? [];
      assert.equal(spans.length, 2);
      assert.ok(spans.every((s) => s.name === '/helloworld.v1.Greeter/SayHello' && s.spanContext().traceFlags === 1));
      await t.shutdown();
    } finally {
      if (before === undefined) delete process.env['OTEL_TRACES_SAMPLER'];
      else process.env['OTEL_TRACES_SAMPLER'] = before;
    }
  });
});
