import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { NoopLogger } from '../../../lib/log/index.js';
import { PrometheusMeter } from '../../../lib/metrics/index.js';
import { chain, type Handler, type Middleware } from '../../../lib/middleware/index.js';
import { loggingServer } from '../../../lib/middleware/logging/index.js';
import { metadataServer } from '../../../lib/middleware/metadata/index.js';
import { metricsServer } from '../../../lib/middleware/metrics/index.js';
import { recovery } from '../../../lib/middleware/recovery/index.js';
import { tracingServer } from '../../../lib/middleware/tracing/index.js';
import { Logger, type Level } from '../../../lib/log/index.js';
import { createTracing } from '../../../lib/tracing/index.js';
import { directCallOf, runWithContext, withDirectCall, type DirectCall } from '../../../lib/transport/index.js';
import { fewestPromisesPerCall, unaryServerCall } from '../../helpers/fused-vs-nested.js';
import { PromiseCounter } from '../../helpers/promise-counter.js';

// With the ambient context on (tracing needs it), Node runs async_hooks work for every promise a call
// makes, and on a socket each costs more than in process (docs/performance.md, "The fifth round").
// The observing defaults used to put one `.then` each on the reply (access log, recovery, metrics);
// fused, they put one between them.

/** A logger that writes nothing but says every level is on, so the access log does all its work. */
class Discard extends Logger {
  log(_level: Level, ..._kv: unknown[]): void {}
}

const tracing = createTracing({ serviceName: 'svc', sampleRatio: 0 });
after(() => tracing.shutdown());

function defaults(): Middleware[] {
  const logger = new Discard();
  return [tracingServer(tracing), loggingServer(logger), recovery({ logger: new NoopLogger(), log: false }), metricsServer({ meter: new PrometheusMeter() }), metadataServer()];
}

const handler: Handler = async (req: { name: string }) => ({ message: `Hello ${req.name}` });

describe('the observing defaults, fused', () => {
  it('should add one promise per call to the handler\'s, where nested they add one per watching middleware', async () => {
    const bare = await fewestPromisesPerCall(handler);
    const fused = await fewestPromisesPerCall(chain(...defaults())(handler));
    const nested = await fewestPromisesPerCall(defaults().reduceRight<Handler>((next, m) => m(next), handler));
    assert.equal(fused - bare, 1);
    // Access log, recovery and metrics one each (tracing with the sampler off watches nothing here).
    assert.equal(nested - bare, 3);
  });

  it('should call a synchronous method directly and answer it with one promise, or none through its own direct form', async () => {
    // The operation's handler as the app builds it (lib/app/operations.ts): a promise always, and the method as its direct form.
    const method: DirectCall = (req) => ({ message: `Hello ${(req as { name: string }).name}` });
    const operation = withDirectCall<Handler>((req, ctx) => Promise.resolve(method(req, ctx)), method);
    const fused = chain(...defaults())(operation);
    // As many as the bare async handler's own; before, the method's promise and the frame's `.then` on it: one more.
    assert.equal(await fewestPromisesPerCall(fused), await fewestPromisesPerCall(handler));
    const direct = directCallOf(fused);
    assert.ok(direct !== undefined);
    const counter = new PromiseCounter();
    const replies: unknown[] = [];
    try {
      for (let i = 0; i < 100; i++) {
        const ctx = unaryServerCall();
        replies.push(runWithContext(ctx, () => direct({ name: 'x' }, ctx)));
      }
    } finally {
      counter.stop();
    }
    assert.equal(counter.made, 0);
    assert.deepEqual(replies[99], { message: 'Hello x' });
  });
});
