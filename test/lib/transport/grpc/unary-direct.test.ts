import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { Metadata, type sendUnaryData, type UntypedHandleCall } from '@grpc/grpc-js';
import { DeadlineQueue } from '../../../../lib/internal/index.js';
import { NoopLogger } from '../../../../lib/log/index.js';
import { PrometheusMeter } from '../../../../lib/metrics/index.js';
import { chain, type Handler, type Middleware } from '../../../../lib/middleware/index.js';
import { loggingServer } from '../../../../lib/middleware/logging/index.js';
import { metadataServer } from '../../../../lib/middleware/metadata/index.js';
import { metricsServer } from '../../../../lib/middleware/metrics/index.js';
import { recovery } from '../../../../lib/middleware/recovery/index.js';
import { tracingServer } from '../../../../lib/middleware/tracing/index.js';
import { createTracing } from '../../../../lib/tracing/index.js';
import { callHandler } from '../../../../lib/transport/grpc/call-handlers.js';
import { callRunner, withDirectCall, type DirectCall } from '../../../../lib/transport/index.js';
import { CaptureLogger } from '../../../helpers/capture-logger.js';
import { echoService } from '../../../helpers/echo-service.js';
import { PromiseCounter } from '../../../helpers/promise-counter.js';

// A unary call whose method answers synchronously is answered as raw grpc-js answers it: the callback
// runs before the call handler returns, with no promise made per call, bare or under the defaults
// (docs/performance.md "The tenth round: gRPC defaults"). Before, a call made two to three promises
// of its own and answered a microtask or two later.

const say = echoService().methods.find((m) => m.name === 'Say')!;
const tracing = createTracing({ serviceName: 'svc', sampleRatio: 0 });
after(() => tracing.shutdown());

/** What grpc-js hands a unary handler, with no deadline and no metadata beyond what clients send. */
class FakeCall extends EventEmitter {
  readonly metadata = Metadata.fromHttp2Headers({ 'user-agent': 'grpc-node-js/1.12.6', te: 'trailers', 'content-type': 'application/grpc' });
  readonly request = { text: 'hi', n: 1 };
  readonly cancelled = false;
  getDeadline(): number {
    return Infinity;
  }
  sendMetadata(): void {}
}

/** The operation's handler as the app builds it for a method (lib/app/operations.ts): a promise always, and its direct form. */
function operation(method: DirectCall): Handler {
  const promised: Handler = (req, ctx) => {
    const out = method(req, ctx);
    return out instanceof Promise ? out : Promise.resolve(out);
  };
  return withDirectCall(promised, method);
}

function grpcHandler(handler: Handler): UntypedHandleCall {
  const env = { endpoint: 'grpc://127.0.0.1:0', timeout: 0, logger: new NoopLogger(), deadlines: new DeadlineQueue(), exposeErrorDetail: false, run: callRunner(true) };
  return callHandler({ schema: say, handler }, env);
}

/** Runs `calls` calls; returns the promises made per call and how many were answered before the handler returned. */
async function unaryCalls(h: UntypedHandleCall, calls: number): Promise<{ promises: number; answeredAtOnce: number; replies: unknown[] }> {
  const replies: unknown[] = [];
  let answeredAtOnce = 0;
  const counter = new PromiseCounter();
  try {
    for (let i = 0; i < calls; i++) {
      let answered = false;
      const callback: sendUnaryData<unknown> = (err, reply) => {
        answered = true;
        replies.push(err ?? reply);
      };
      (h as unknown as (call: FakeCall, cb: sendUnaryData<unknown>) => void)(new FakeCall(), callback);
      if (answered) answeredAtOnce++;
    }
  } finally {
    counter.stop();
  }
  await new Promise((r) => setImmediate(r));
  return { promises: counter.made / calls, answeredAtOnce, replies };
}

const method: DirectCall = (req) => ({ text: (req as { text: string }).text, n: 2 });

function defaults(logger: CaptureLogger, meter: PrometheusMeter): Middleware[] {
  return [tracingServer(tracing), loggingServer(logger), recovery({ logger: new NoopLogger(), log: false }), metricsServer({ meter }), metadataServer()];
}

describe('a unary gRPC call whose method answers synchronously', () => {
  it('should be answered before the handler returns, with no promise, when nothing wraps the method', async () => {
    const { promises, answeredAtOnce, replies } = await unaryCalls(grpcHandler(operation(method)), 200);
    assert.equal(answeredAtOnce, 200);
    assert.equal(promises, 0);
    assert.deepEqual(replies[0], { text: 'hi', n: 2 });
  });

  it('should be answered the same way under the default middleware, each of them told the call ended', async () => {
    const logger = new CaptureLogger();
    const meter = new PrometheusMeter();
    const h = grpcHandler(chain(...defaults(logger, meter))(operation(method)));
    const { promises, answeredAtOnce, replies } = await unaryCalls(h, 200);
    assert.equal(answeredAtOnce, 200);
    assert.equal(promises, 0);
    assert.deepEqual(replies[199], { text: 'hi', n: 2 });
    // One access line per call, written before the reply went out, and one count.
    const lines = logger.records.filter((r) => r['operation'] === '/echo.v1.Echo/Say');
    assert.equal(lines.length, 200);
    assert.equal(lines[0]!['code'], 200);
    assert.match(await meter.metrics(), /server_requests_code_total\{kind="grpc",operation="\/echo.v1.Echo\/Say",code="200",reason=""\} 200/);
  });

  it('should still answer an async method once it settles, and a throwing one with its error a microtask later', async () => {
    const logger = new CaptureLogger();
    const meter = new PrometheusMeter();
    const asyncMethod: DirectCall = async (req) => ({ text: (req as { text: string }).text, n: 3 });
    const slow = await unaryCalls(grpcHandler(chain(...defaults(logger, meter))(operation(asyncMethod))), 10);
    assert.equal(slow.answeredAtOnce, 0);
    assert.deepEqual(slow.replies[9], { text: 'hi', n: 3 });
    const throwing: DirectCall = () => Promise.reject(new TypeError('internal secret'));
    const failed = await unaryCalls(grpcHandler(chain(...defaults(logger, meter))(operation(throwing))), 3);
    assert.equal(failed.answeredAtOnce, 0);
    // Recovery's 500 UNKNOWN, as gRPC INTERNAL.
    assert.equal((failed.replies[0] as { code: number }).code, 13);
  });
});
