import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as tick } from 'node:timers/promises';
import { KratosError } from '../../../lib/errors/index.js';
import { Logger, type Level } from '../../../lib/log/index.js';
import { Metadata } from '../../../lib/metadata/index.js';
import { PrometheusMeter } from '../../../lib/metrics/index.js';
import { chain, type Handler, type Middleware } from '../../../lib/middleware/index.js';
import { loggingServer } from '../../../lib/middleware/logging/index.js';
import { metadataServer } from '../../../lib/middleware/metadata/index.js';
import { metricsServer } from '../../../lib/middleware/metrics/index.js';
import { recovery } from '../../../lib/middleware/recovery/index.js';
import { tracingServer } from '../../../lib/middleware/tracing/index.js';
import { createTracing, spanIdValuer, traceIdValuer, type Tracing } from '../../../lib/tracing/index.js';
import { runWithContext, type Context } from '../../../lib/transport/index.js';

// The observing built-ins in a chain run as one frame per call (lib/middleware/stage.ts). What users
// see must not change: each scenario runs through the same middleware fused (chain) and nested (each
// middleware's own function wrapping the next, as before fusion) and compares everything observable.

/** Keeps each record, with the trace and span active when it was written (the access line's trace.id and span.id). */
class Lines extends Logger {
  readonly records: Record<string, unknown>[] = [];
  log(level: Level, ...kv: unknown[]): void {
    const r: Record<string, unknown> = { level, 'trace.id': traceIdValuer() !== '', 'span.id': spanIdValuer() !== '' };
    for (let i = 0; i < kv.length; i += 2) r[String(kv[i])] = kv[i + 1];
    // What varies per call: the latency's value, and the stack beyond its first line.
    if (typeof r['latency'] === 'number') r['latency'] = 'n';
    if (typeof r['stack'] === 'string') r['stack'] = r['stack'].split('\n')[0];
    this.records.push(r);
  }
}

const sampled = createTracing({ serviceName: 'svc', exporter: 'memory', sampleRatio: 1 });
const unsampled = createTracing({ serviceName: 'svc', sampleRatio: 0 });
after(() => Promise.all([sampled.shutdown(), unsampled.shutdown()]));

function context(abort?: AbortController, unaryReply = true): Context {
  const ctx = {
    kind: 'grpc', side: 'server', operation: '/helloworld.v1.Greeter/SayHello', endpoint: '', requestHeader: new Metadata({ 'x-md-k': 'v' }),
    replyHeader: new Metadata(), signal: (abort ?? new AbortController()).signal, deadline: undefined, metadata: new Metadata(), unaryReply,
  };
  return ctx as Context;
}

/** The defaults in createApp's order, each with its own logger and meter. */
function defaults(tracing: Tracing = sampled, between?: Middleware) {
  const logger = new Lines();
  const meter = new PrometheusMeter();
  const m = [tracingServer(tracing), loggingServer(logger), recovery({ logger, log: false }), metricsServer({ meter }), metadataServer()];
  // Between recovery and metrics: the runs on either side are fused apart.
  if (between !== undefined) m.splice(3, 0, between);
  return { logger, meter, m };
}

interface Seen {
  result: unknown;
  lines: Record<string, unknown>[];
  metrics: string;
  spans: unknown[];
  metadata: unknown;
}

/** What a call through `m` (fused or nested) shows: its reply or error, the log lines, metrics and spans. */
async function observe(fused: boolean, handler: Handler, drive: (reply: unknown) => Promise<unknown>, opts: { tracing?: Tracing; between?: Middleware; abort?: AbortController; unaryReply?: boolean } = {}): Promise<Seen> {
  const { logger, meter, m } = defaults(opts.tracing, opts.between);
  sampled.memoryExporter!.reset();
  const h = fused ? chain(...m)(handler) : m.reduceRight<Handler>((next, mw) => mw(next), handler);
  const ctx = context(opts.abort, opts.unaryReply);
  let result: unknown;
  try {
    result = await drive(await runWithContext(ctx, () => h({ name: 'kratos' }, ctx)));
  } catch (err) {
    const e = err as KratosError;
    result = { error: e.constructor.name, code: e.code, reason: e.reason, message: e.message };
  }
  await tick();
  // The latency's sum and the finite buckets it falls in vary per call (a loaded host takes a call past
  // 5 ms in one run and not the other); the +Inf bucket and the count still pin that each call was counted.
  const metrics = (await meter.metrics()).replace(/_sum\{([^}]*)\} [\d.e-]+/g, '_sum{$1} <sum>').replace(/_bucket\{le="(?!\+Inf)([^}]*)\} \d+/g, '_bucket{le="$1} <n>');
  const spans = sampled.memoryExporter!.getFinishedSpans().map((s) => ({ name: s.name, status: s.status, attributes: s.attributes, events: s.events.map((e) => [e.name, e.attributes?.['exception.message']]) }));
  return { result, lines: logger.records, metrics, spans, metadata: ctx.metadata.values('x-md-k') };
}

const unary = async (reply: unknown): Promise<unknown> => reply;
const readAll = async (reply: unknown): Promise<unknown> => {
  const items: unknown[] = [];
  for await (const x of reply as AsyncIterable<unknown>) items.push(x);
  return items;
};

async function same(handler: Handler, drive = unary, opts: Parameters<typeof observe>[3] = {}): Promise<Seen> {
  const nested = await observe(false, handler, drive, opts);
  const fused = await observe(true, handler, drive, opts);
  assert.deepEqual(fused, nested);
  return fused;
}

describe('a chain of the observing defaults, fused into one frame per call', () => {
  it('should reply, log, count and trace a success as nested middleware do', async () => {
    const seen = await same(async (req: { name: string }) => ({ message: `Hello ${req.name}` }));
    assert.deepEqual(seen.result, { message: 'Hello kratos' });
    assert.equal(seen.lines.length, 1);
    assert.equal(seen.lines[0]!['code'], 200);
    assert.equal(seen.lines[0]!['trace.id'], true);
    assert.match(seen.metrics, /code="200",reason=""\} 1/);
    assert.equal(seen.spans.length, 1);
    assert.deepEqual(seen.metadata, ['v']);
  });

  it('should pass a Kratos error through unchanged to the caller, the log, the metrics and the span', async () => {
    const seen = await same(async () => { throw new KratosError(404, 'USER_NOT_FOUND', 'no such user'); });
    assert.deepEqual(seen.result, { error: 'KratosError', code: 404, reason: 'USER_NOT_FOUND', message: 'no such user' });
    assert.equal(seen.lines[0]!['reason'], 'USER_NOT_FOUND');
    assert.match(seen.metrics, /code="404",reason="USER_NOT_FOUND"\} 1/);
  });

  it('should let the log see a rejected plain error as recovery made it, metrics as 500 UNKNOWN of their own, and the caller recovery\'s', async () => {
    const seen = await same(async () => { throw new TypeError('boom'); });
    assert.deepEqual(seen.result, { error: 'KratosError', code: 500, reason: 'UNKNOWN', message: 'unknown request error' });
    assert.equal(seen.lines[0]!['stack'], 'TypeError: boom');
    assert.match(seen.metrics, /code="500",reason="UNKNOWN"\} 1/);
  });

  it('should treat a synchronous throw of the handler as its failure', async () => {
    const seen = await same((() => { throw new RangeError('sync'); }) as Handler);
    assert.equal((seen.result as { code: number }).code, 500);
    assert.equal(seen.lines[0]!['stack'], 'RangeError: sync');
  });

  it('should report a call whose signal aborted as its cancellation, whatever the handler returned', async () => {
    const run = (): Promise<Seen> => {
      const abort = new AbortController();
      return observe(true, async () => { abort.abort(); return { message: 'late' }; }, unary, { abort });
    };
    const abort = new AbortController();
    const nested = await observe(false, async () => { abort.abort(); return { message: 'late' }; }, unary, { abort });
    const fused = await run();
    assert.deepEqual(fused, nested);
    assert.equal(fused.lines[0]!['code'], 499);
    assert.match(fused.metrics, /code="499",reason="CANCELLED"\} 1/);
  });

  it('should watch an async generator\'s stream once for all, ending each observer when it ends or fails', async () => {
    const ok = await same(async () => (async function* () { yield 1; yield 2; })(), readAll, { unaryReply: false });
    assert.deepEqual(ok.result, [1, 2]);
    assert.equal(ok.lines.length, 1);
    const failed = await same(async () => (async function* () { yield 1; throw new KratosError(503, 'GONE', 'gone'); })(), readAll, { unaryReply: false });
    assert.equal((failed.result as { reason: string }).reason, 'GONE');
    assert.match(failed.metrics, /code="503",reason="GONE"\} 1/);
  });

  it('should watch a synchronous generator\'s stream, and a consumer that stops early ends the call as a success', async () => {
    const all = await same(async () => (function* () { yield 'a'; yield 'b'; })(), readAll, { unaryReply: false });
    assert.deepEqual(all.result, ['a', 'b']);
    const firstOnly = async (reply: unknown): Promise<unknown> => {
      for await (const x of reply as AsyncIterable<unknown>) return x;
      return undefined;
    };
    const stopped = await same(async () => (async function* () { yield 'first'; yield 'never'; })(), firstOnly, { unaryReply: false });
    assert.equal(stopped.result, 'first');
    assert.equal(stopped.lines[0]!['code'], 200);
    assert.equal(stopped.spans.length, 1);
  });

  it('should behave the same with the sampler off', async () => {
    const seen = await same(async () => { throw new TypeError('boom'); }, unary, { tracing: unsampled });
    assert.equal(seen.lines[0]!['trace.id'], true);
  });

  it('should run a user middleware between built-ins where it stands, splitting the run in two', async () => {
    const order: string[] = [];
    const between: Middleware = (next) => async (req, ctx) => {
      order.push('user');
      try {
        return await next(req, ctx);
      } catch (err) {
        // Sees the raw error: recovery is inside it.
        order.push(err instanceof TypeError ? 'raw' : 'mapped');
        throw err;
      }
    };
    const seen = await same(async () => { throw new TypeError('boom'); }, unary, { between });
    assert.deepEqual(order, ['user', 'raw', 'user', 'raw']);
    assert.equal((seen.result as { code: number }).code, 500);
  });
});
