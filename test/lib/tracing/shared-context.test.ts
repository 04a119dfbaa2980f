import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { context, createContextKey, ROOT_CONTEXT } from '@opentelemetry/api';
import { Metadata } from '../../../lib/metadata/index.js';
import { createTracing } from '../../../lib/tracing/index.js';
import { currentContext, currentTraceContext, runWithContext, type Context } from '../../../lib/transport/index.js';

const call: Context = {
  kind: 'grpc', side: 'server', operation: '/a.B/C', endpoint: '', requestHeader: new Metadata(), replyHeader: new Metadata(),
  signal: new AbortController().signal, deadline: undefined, metadata: new Metadata(),
};
const KEY = createContextKey('test key');
const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('OTel context and call context', () => {
  it('should live in one AsyncLocalStorage: OTel\'s active context is the call store\'s, and each keeps the other across awaits', async () => {
    const t = createTracing({ serviceName: 'svc' });
    const traced = ROOT_CONTEXT.setValue(KEY, 'v');
    await context.with(traced, async () => {
      assert.equal(currentTraceContext(), traced, 'context.with wrote the call store');
      await runWithContext(call, async () => {
        await tick();
        assert.equal(currentContext(), call);
        assert.equal(context.active().getValue(KEY), 'v', 'a call started inside a trace context keeps it');
        await context.with(ROOT_CONTEXT.setValue(KEY, 'inner'), async () => {
          await tick();
          assert.equal(currentContext(), call, 'a trace context set inside a call keeps the call');
          assert.equal(context.active().getValue(KEY), 'inner');
        });
        assert.equal(context.active().getValue(KEY), 'v');
      });
    });
    assert.equal(context.active(), ROOT_CONTEXT);
    assert.equal(currentContext(), undefined);
    await t.shutdown();
  });

  it('should bind functions and event emitters to a context, as OTel\'s own manager does', async () => {
    const t = createTracing({ serviceName: 'svc' });
    const traced = ROOT_CONTEXT.setValue(KEY, 'bound');
    const fn = context.bind(traced, () => context.active().getValue(KEY));
    const emitter = context.bind(traced, new EventEmitter());
    const heard = new Promise<unknown>((resolve) => emitter.on('x', () => resolve(context.active().getValue(KEY))));
    assert.equal(fn(), 'bound');
    emitter.emit('x');
    assert.equal(await heard, 'bound');
    await t.shutdown();
  });
});
