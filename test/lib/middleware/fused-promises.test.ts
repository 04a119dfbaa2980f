import { createHook } from 'node:async_hooks';
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Metadata } from '../../../lib/metadata/index.js';
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
import { runWithContext, type Context } from '../../../lib/transport/index.js';

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

/** Promises created per call through `h`, counted by an async_hooks init hook, a call at a time as a transport runs one. */
async function promisesPerCall(h: Handler, calls = 400): Promise<number> {
  const one = (): Promise<unknown> => {
    const ctx = { kind: 'grpc', side: 'server', operation: '/a.B/C', endpoint: '', requestHeader: new Metadata(), replyHeader: new Metadata(), signal: new AbortController().signal, deadline: undefined, metadata: new Metadata(), unaryReply: true } as Context;
    return runWithContext(ctx, () => h({ name: 'x' }, ctx));
  };
  for (let i = 0; i < 50; i++) await one();
  let promises = 0;
  const hook = createHook({
    init(_id, type) {
      if (type === 'PROMISE') promises++;
    },
  }).enable();
  try {
    for (let i = 0; i < calls; i++) await one();
  } finally {
    hook.disable();
  }
  return promises / calls;
}

/** The fewest promises per call over three counts: anything else the process runs meanwhile (the test runner's reporting) only adds. */
async function fewest(h: Handler): Promise<number> {
  let least = Infinity;
  for (let i = 0; i < 3; i++) least = Math.min(least, await promisesPerCall(h));
  return least;
}

describe('the observing defaults, fused', () => {
  it('should add one promise per call to the handler\'s, where nested they add one per watching middleware', async () => {
    const bare = await fewest(handler);
    const fused = await fewest(chain(...defaults())(handler));
    const nested = await fewest(defaults().reduceRight<Handler>((next, m) => m(next), handler));
    assert.equal(fused - bare, 1);
    // Access log, recovery and metrics one each (tracing with the sampler off watches nothing here).
    assert.equal(nested - bare, 3);
  });
});
