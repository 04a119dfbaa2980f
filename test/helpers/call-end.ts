// The stream test of the call-end primitive: a server stream the client leaves, on every transport,
// must be reported once by the access log, the metrics and the tracing, all as its cancellation.
import { setTimeout as sleep } from 'node:timers/promises';
import { Module, Rpc, Service } from '../../decorators/index.js';
import { METER, TRACING } from '../../lib/app/index.js';
import { KratosError } from '../../lib/errors/index.js';
import type { PrometheusMeter } from '../../lib/metrics/index.js';
import { createTestApp, type TestApp } from '../../lib/testing/index.js';
import type { Context } from '../../lib/transport/index.js';
import { repoPath } from './grpc-web-peer.js';
import { CaptureLogger as Capture } from './capture-logger.js';

/**
 * How the streaming handler treats the call's cancellation: `watches` returns once its signal has
 * aborted (the stream then ends normally), `ignores` yields forever without looking at it, `stalls`
 * yields one message and then waits on something that never comes (nobody pulls it again), `fails`
 * yields one message and then throws a Kratos error (503 TICKER_DOWN).
 */
export type HandlerMode = 'watches' | 'ignores' | 'stalls' | 'fails';

/** The handler's state, set by each test. */
export const probe = { mode: 'ignores' as HandlerMode, finished: 0, release: (): void => undefined };

@Service({ proto: 'test/fixtures/grpcweb/ticker.proto', name: 'ticker.v1.Ticker' })
class EndlessTicker {
  @Rpc()
  async *ticks(req: { intervalMs: number }, ctx: Context): AsyncIterable<{ n: number; pad: string }> {
    try {
      for (let n = 1; ; n++) {
        if (probe.mode === 'watches' && ctx.signal.aborted) return;
        yield { n, pad: '' };
        if (probe.mode === 'fails') throw new KratosError(503, 'TICKER_DOWN', 'ticker down');
        if (probe.mode === 'stalls') await new Promise<void>((resolve) => (probe.release = resolve));
        else await sleep(req.intervalMs);
      }
    } finally {
      probe.finished++;
    }
  }

  @Rpc()
  async echo(req: { n: number; pad: string }): Promise<{ n: number; pad: string }> {
    return req;
  }
}

@Module({ services: [EndlessTicker] })
class EndlessModule {}

export const TICKS = '/ticker.v1.Ticker/Ticks';

/** A TicksRequest in the protobuf wire format, written by hand: interval_ms (field 3) only. */
export function ticksRequest(intervalMs: number): Buffer {
  return Buffer.from([0x18, intervalMs]);
}


/** What the default middleware reported about the calls of one operation. */
export interface Reports {
  logs: Record<string, unknown>[];
  /** `server_requests_code_total` lines of the operation. */
  counts: string[];
  spans: { status: { code: number }; attributes: Record<string, unknown> }[];
}

/** The app with its default middleware (access log, metrics, tracing sampled to memory) serving the endless ticker. */
export class ObservedApp {
  private constructor(readonly test: TestApp, readonly logs: Capture) {}

  /** Starts a fresh app (one per test, so each sees only its own call) with the handler in `mode`. */
  static async start(mode: HandlerMode): Promise<ObservedApp> {
    probe.mode = mode;
    probe.finished = 0;
    const logs = new Capture();
    const test = await createTestApp(EndlessModule, { protoPaths: [repoPath()], logger: logs, tracing: { exporter: 'memory', sampleRatio: 1 } });
    return new ObservedApp(test, logs);
  }

  async reports(operation = TICKS): Promise<Reports> {
    const text = await (this.test.get(METER) as PrometheusMeter).metrics();
    const spans = this.test.get(TRACING)!.memoryExporter!.getFinishedSpans().filter((s) => s.name === operation);
    return {
      logs: this.logs.records.filter((r) => r['operation'] === operation),
      counts: text.split('\n').filter((l) => l.startsWith('server_requests_code_total{') && l.includes(`operation="${operation}"`)),
      spans: spans as unknown as Reports['spans'],
    };
  }

  /** Waits until the call has been logged (or 3 s), then a little more so a second report would show. */
  async settled(operation = TICKS): Promise<Reports> {
    const until = Date.now() + 3000;
    while ((await this.reports(operation)).logs.length === 0 && Date.now() < until) await sleep(10);
    await sleep(150);
    return this.reports(operation);
  }

  close(): Promise<void> {
    probe.release();
    return this.test.close();
  }
}
