import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { KratosError } from '../../../lib/errors/index.js';
import { Metadata } from '../../../lib/metadata/index.js';
import { Logger, NoopLogger, type Level } from '../../../lib/log/index.js';
import { PrometheusMeter } from '../../../lib/metrics/index.js';
import { chain, type Handler, type Middleware } from '../../../lib/middleware/index.js';
import { loggingServer } from '../../../lib/middleware/logging/index.js';
import { metadataServer } from '../../../lib/middleware/metadata/index.js';
import { metricsServer } from '../../../lib/middleware/metrics/index.js';
import { recovery } from '../../../lib/middleware/recovery/index.js';
import { tracingServer } from '../../../lib/middleware/tracing/index.js';
import { createTracing, spanIdValuer, traceIdValuer } from '../../../lib/tracing/index.js';
import { runWithContext, type Context } from '../../../lib/transport/index.js';
import { fewestPromisesPerCall, unaryServerCall } from '../../helpers/fused-vs-nested.js';

// A 100 % sampled call's span used to end from a `.then` of its own on the reply, beside the one the
// fused access log, recovery, metrics and metadata share: one promise more per recorded call than per
// unsampled one, each paying async_hooks work on a server (docs/performance.md "The eighth round").
// Now the span heads the fused run and ends from its watch.

/** Keeps what the access log writes, and says every level is on so it does all its work. */
class Lines extends Logger {
  readonly lines: unknown[][] = [];
  log(_level: Level, ...kv: unknown[]): void {
    // What an app's logger fields read per line: the active span's ids.
    this.lines.push([...kv, 'trace.id', traceIdValuer(), 'span.id', spanIdValuer()]);
  }
}

const tracing = createTracing({ serviceName: 'svc', sampleRatio: 1, exporter: 'memory' });
// For counting: every call recorded and ended, no span processor (the memory exporter's export makes promises of its own).
const counted = createTracing({ serviceName: 'svc', sampleRatio: 1, exporter: 'none' });
const unsampled = createTracing({ serviceName: 'svc', sampleRatio: 0, exporter: 'none' });
after(() => Promise.all([tracing.shutdown(), counted.shutdown(), unsampled.shutdown()]));

function defaults(logger: Logger, t = tracing): Middleware[] {
  return [tracingServer(t), loggingServer(logger), recovery({ logger: new NoopLogger(), log: false }), metricsServer({ meter: new PrometheusMeter() }), metadataServer()];
}

const hello: Handler = async (req: { name: string }) => ({ message: `Hello ${req.name}` });

describe('a recorded (100 % sampled) call through the fused defaults', () => {
  it("should add one promise per call to the handler's, its span included, as an unsampled call does", async () => {
    const bare = await fewestPromisesPerCall(hello);
    const recorded = await fewestPromisesPerCall(chain(...defaults(new Lines(), counted))(hello));
    const notRecorded = await fewestPromisesPerCall(chain(...defaults(new Lines(), unsampled))(hello));
    assert.equal(recorded - bare, 1);
    assert.equal(notRecorded - bare, 1);
  });

  it('should end the span after the access line was written inside it, with the status and error nesting gives', async () => {
    const logger = new Lines();
    const failing: Handler = async () => {
      throw new KratosError(404, 'NOT_FOUND', 'no such greeter');
    };
    for (const h of [hello, failing]) {
      const ctx = unaryServerCall();
      await runWithContext(ctx, () => chain(...defaults(logger))(h)({ name: 'x' }, ctx)).catch(() => undefined);
    }
    const spans = tracing.memoryExporter?.getFinishedSpans() ?? [];
    tracing.memoryExporter?.reset();
    assert.equal(spans.length, 2);
    const [ok, failed] = spans;
    for (const [i, s] of spans.entries()) {
      assert.equal(s.kind, SpanKind.SERVER);
      assert.equal(s.name, '/a.B/C');
      const line = logger.lines[i]!;
      assert.equal(line[line.indexOf('trace.id') + 1], s.spanContext().traceId, 'the access line is written with the span active');
      assert.equal(line[line.indexOf('span.id') + 1], s.spanContext().spanId);
    }
    assert.deepEqual(ok!.status, { code: SpanStatusCode.OK });
    assert.deepEqual(failed!.status, { code: SpanStatusCode.ERROR, message: 'no such greeter' });
    assert.equal(failed!.attributes['rpc.status_code'], 404);
    assert.equal(failed!.events[0]?.name, 'exception');
    // Ended once the call was over, not before the handler's reply was in.
    assert.ok(ok!.ended && failed!.ended);
  });

  it('should run the handler with a real recording span active, and pull a reply stream in it, ending the span with the stream', async () => {
    const seen: { recording: boolean; id: string | undefined }[] = [];
    const streamed: Handler = async () =>
      (async function* () {
        for (let i = 0; i < 2; i++) {
          const span = trace.getActiveSpan();
          seen.push({ recording: span?.isRecording() === true, id: span?.spanContext().spanId });
          yield { n: i };
        }
      })();
    const ctx = { ...unaryServerCall(), unaryReply: false } as Context;
    const stream = (await runWithContext(ctx, () => chain(...defaults(new Lines()))(streamed)(undefined, ctx))) as AsyncIterable<unknown>;
    assert.equal(tracing.memoryExporter?.getFinishedSpans().length, 0, 'not ended before the stream is');
    const got: unknown[] = [];
    for await (const m of stream) got.push(m);
    const spans = tracing.memoryExporter?.getFinishedSpans() ?? [];
    tracing.memoryExporter?.reset();
    assert.deepEqual(got, [{ n: 0 }, { n: 1 }]);
    assert.equal(spans.length, 1);
    assert.deepEqual(seen, [
      { recording: true, id: spans[0]!.spanContext().spanId },
      { recording: true, id: spans[0]!.spanContext().spanId },
    ]);
  });
});
