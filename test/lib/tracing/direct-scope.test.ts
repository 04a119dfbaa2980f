import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AsyncLocalStorage } from 'node:async_hooks';
import { context, trace } from '@opentelemetry/api';
import { Metadata } from '../../../lib/metadata/index.js';
import { createTracing, spanIdValuer, startServerSpan, traceIdValuer } from '../../../lib/tracing/index.js';
import { currentContext, runWithContext, type Context } from '../../../lib/transport/index.js';

function call(): Context {
  return {
    kind: 'http', side: 'server', operation: '/a.B/C', endpoint: '', requestHeader: new Metadata(), replyHeader: new Metadata(),
    signal: new AbortController().signal, deadline: undefined, metadata: new Metadata(),
  };
}

/** Counts `context.with` and AsyncLocalStorage entries while `fn` runs. */
async function counting(fn: () => Promise<void>): Promise<{ withs: number; runs: number }> {
  const counts = { withs: 0, runs: 0 };
  const apiWith = context.with;
  const run = AsyncLocalStorage.prototype.run;
  context.with = function (this: typeof context, ...args: Parameters<typeof apiWith>) {
    counts.withs++;
    return apiWith.apply(this, args);
  } as typeof apiWith;
  AsyncLocalStorage.prototype.run = function (this: AsyncLocalStorage<unknown>, ...args: Parameters<typeof run>) {
    counts.runs++;
    return run.apply(this, args);
  } as typeof run;
  try {
    await fn();
  } finally {
    context.with = apiWith;
    AsyncLocalStorage.prototype.run = run;
  }
  return counts;
}

describe('a server call\'s tracing scope with the shared context manager installed', () => {
  it('should write the call store directly, not through OTel\'s context.with, and keep the call and its trace ambient', async () => {
    const t = createTracing({ serviceName: 'svc' });
    const ctx = call();
    let seen: unknown[] = [];
    const counts = await counting(async () => {
      await runWithContext(ctx, () => {
        const handle = startServerSpan(t, ctx);
        return handle.runCall(
          async (a: string, b: number) => {
            await new Promise((r) => setImmediate(r));
            seen = [a, b, currentContext(), trace.getSpanContext(context.active())?.spanId, spanIdValuer(), traceIdValuer(), handle.traceId];
            handle.end();
          },
          'a',
          2,
        );
      });
    });
    assert.equal(counts.withs, 0, 'no OTel API dispatch per call');
    assert.equal(counts.runs, 2, 'the transport\'s run and the tracing scope\'s');
    const [a, b, current, activeSpan, loggedSpan, loggedTrace, traceId] = seen;
    assert.deepEqual([a, b, current], ['a', 2, ctx]);
    assert.equal(activeSpan, loggedSpan);
    assert.equal(loggedTrace, traceId);
    assert.equal(trace.getSpanContext(context.active()), undefined, 'the trace context does not outlive the call');
    assert.equal(currentContext(), undefined);
    await t.shutdown();
  });

  it('should run a recorded span\'s scope directly as well', async () => {
    const t = createTracing({ serviceName: 'svc', exporter: 'memory', sampleRatio: 1 });
    const ctx = call();
    let active: string | undefined;
    const handle = startServerSpan(t, ctx);
    const counts = await counting(async () => {
      await handle.runInContext(async () => {
        await new Promise((r) => setTimeout(r, 1));
        active = trace.getSpanContext(context.active())?.spanId;
      });
    });
    handle.end();
    assert.equal(counts.withs, 0);
    assert.equal(active, handle.spanId);
    await t.shutdown();
  });
});
