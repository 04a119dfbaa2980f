import { AsyncLocalStorage } from 'node:async_hooks';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as tick } from 'node:timers/promises';
import { KratosError } from '../../../lib/errors/index.js';
import { Metadata } from '../../../lib/metadata/index.js';
import { PrometheusMeter } from '../../../lib/metrics/index.js';
import { chain, onCallEnd, staged, UNWATCHED, type CallOutcome, type Handler, type Middleware } from '../../../lib/middleware/index.js';
import { loggingServer } from '../../../lib/middleware/logging/index.js';
import { metricsServer } from '../../../lib/middleware/metrics/index.js';
import { recovery } from '../../../lib/middleware/recovery/index.js';
import type { Context } from '../../../lib/transport/index.js';
import { CaptureLogger } from '../../helpers/capture-logger.js';
import { sameFusedAndNested } from '../../helpers/fused-vs-nested.js';

function context(): Context {
  return { kind: 'grpc', side: 'server', operation: '/a.B/C', endpoint: '', requestHeader: new Metadata(), replyHeader: new Metadata(), signal: new AbortController().signal, deadline: undefined, metadata: new Metadata() };
}

const nameOf = (err: unknown): string => (err === undefined ? 'ok' : err instanceof KratosError ? err.reason : (err as Error).message);

/**
 * An observer written as a user would write one: `begin`, `end` and optionally `recover`, as a
 * staged middleware whose own function does the same with onCallEnd (used alone or nested).
 */
function observer(name: string, events: string[], opts: { recover?: string; skip?: boolean; throwOnEnd?: boolean; throwOnBegin?: boolean } = {}): Middleware {
  const begin = (): string | typeof UNWATCHED => {
    events.push(`${name} begin`);
    if (opts.throwOnBegin === true) throw new Error(`${name} broke`);
    return opts.skip === true ? UNWATCHED : name;
  };
  const end = (state: string, outcome: CallOutcome): void => {
    events.push(`${state} end ${nameOf(outcome.error)}`);
    if (opts.throwOnEnd === true) throw new Error(`${name} end broke`);
  };
  const recover = opts.recover === undefined ? undefined : (): unknown => new KratosError(500, opts.recover!, 'recovered');
  const own: Middleware = (next) => (req, ctx) => {
    const state = begin();
    const watched: Handler = recover === undefined ? next : (r, c) => Promise.resolve().then(() => next(r, c)).catch(() => { throw recover(); });
    if (state === UNWATCHED) return watched(req, ctx);
    return onCallEnd(watched, req, ctx, (o) => end(state, o));
  };
  return staged(own, { begin, end, ...(recover === undefined ? {} : { recover }) });
}

async function run(fused: boolean, m: Middleware[], handler: Handler): Promise<unknown> {
  const h = fused ? chain(...m)(handler) : m.reduceRight<Handler>((next, mw) => mw(next), handler);
  return h({}, context()).then((v) => v, (e: unknown) => `rejected ${nameOf(e)}`);
}

describe('staged middleware in a chain', () => {
  it('should begin outer first and end inner first, an outer observer seeing what an inner recover made of the failure', async () => {
    const { events, result } = await sameFusedAndNested(run, 
      (e) => [observer('outer', e), observer('recovering', e, { recover: 'MAPPED' }), observer('inner', e)],
      async () => { throw new Error('raw'); },
    );
    assert.deepEqual(events, ['outer begin', 'recovering begin', 'inner begin', 'inner end raw', 'recovering end MAPPED', 'outer end MAPPED']);
    assert.equal(result, 'rejected MAPPED');
  });

  it('should not tell a stage that sat the call out (UNWATCHED), and tell the others', async () => {
    const { events } = await sameFusedAndNested(run, (e) => [observer('a', e), observer('b', e, { skip: true }), observer('c', e)], async () => 'ok');
    assert.deepEqual(events, ['a begin', 'b begin', 'c begin', 'c end ok', 'a end ok']);
  });

  it('should fail the call for the outer stages only when a stage cannot begin', async () => {
    const { events, result } = await sameFusedAndNested(run, (e) => [observer('a', e), observer('b', e, { throwOnBegin: true }), observer('c', e)], async () => 'ok');
    assert.deepEqual(events, ['a begin', 'b begin', 'a end b broke']);
    assert.equal(result, 'rejected b broke');
  });

  it('should make an observer that throws the failure the stages outside it see', async () => {
    const { events, result } = await sameFusedAndNested(run, (e) => [observer('a', e), observer('b', e, { throwOnEnd: true }), observer('c', e)], async () => 'ok');
    assert.deepEqual(events, ['a begin', 'b begin', 'c begin', 'c end ok', 'b end ok', 'a end b end broke']);
    assert.equal(result, 'rejected b end broke');
  });

  it('should give a user middleware between staged ones its place: the stages inside it end before it sees the reply', async () => {
    const user = (e: string[]): Middleware => (next) => async (req, ctx) => {
      e.push('user in');
      const r = await next(req, ctx);
      e.push('user out');
      return r;
    };
    const { events } = await sameFusedAndNested(run, (e) => [observer('a', e), user(e), observer('b', e), observer('c', e)], async () => 'ok');
    assert.deepEqual(events, ['a begin', 'user in', 'b begin', 'c begin', 'c end ok', 'b end ok', 'user out', 'a end ok']);
  });

  it('should let the access log see the error recovery returned and metrics the raw one (a recovery handler of its own)', async () => {
    const seen = async (fused: boolean): Promise<unknown> => {
      const logger = new CaptureLogger();
      const meter = new PrometheusMeter();
      const handler = (): KratosError => new KratosError(503, 'RECOVERED', 'try later');
      const m = [loggingServer(logger), recovery({ logger, log: false, handler }), metricsServer({ meter })];
      const result = await run(fused, m, async () => { throw new TypeError('boom'); });
      await tick();
      const counted = (await meter.metrics()).split('\n').filter((l) => l.startsWith('server_requests_code_total'));
      return { result, logged: logger.records.map((r) => [r['code'], r['reason']]), counted };
    };
    const fused = await seen(true);
    assert.deepEqual(fused, await seen(false));
    assert.deepEqual(fused, {
      result: 'rejected RECOVERED',
      logged: [[503, 'RECOVERED']],
      counted: ['server_requests_code_total{kind="grpc",operation="/a.B/C",code="500",reason="UNKNOWN"} 1'],
    });
  });

  it('should run the stages inside a scoped stage, their ends and each pull of a stream in its scope, and those outside it not', async () => {
    const als = new AsyncLocalStorage<string>();
    const where = (): string => als.getStore() ?? 'outside';
    const scoped = (e: string[]): Middleware => {
      const begin = (): string => 'scoped';
      const scope = () => <T>(fn: () => T): T => als.run('in scope', fn);
      const end = (_s: string, o: CallOutcome): void => void e.push(`scoped end ${nameOf(o.error)} ${where()}`);
      const own: Middleware = (next) => (req, ctx) => onCallEnd(next, req, ctx, (o) => end('scoped', o), performance.now(), scope());
      return staged(own, { begin, scope, end });
    };
    const watching = (name: string, e: string[]): Middleware => {
      const begin = (): string => (e.push(`${name} begin ${where()}`), name);
      const end = (_s: string, o: CallOutcome): void => void e.push(`${name} end ${nameOf(o.error)} ${where()}`);
      return staged((next) => (req, ctx) => (begin(), onCallEnd(next, req, ctx, (o) => end(name, o))), { begin, end });
    };
    const pulls: string[] = [];
    const streamed: Handler = async () => (async function* () { pulls.push(where()); yield 1; pulls.push(where()); })();
    const { events, result } = await sameFusedAndNested(run, (e) => [watching('outer', e), scoped(e), watching('inner', e)], async () => where());
    assert.equal(result, 'in scope');
    assert.deepEqual(events, ['outer begin outside', 'inner begin in scope', 'inner end ok in scope', 'scoped end ok outside', 'outer end ok outside']);
    const h = chain(watching('outer', []), scoped([]), watching('inner', []))(streamed);
    for await (const _ of (await h({}, context())) as AsyncIterable<unknown>);
    assert.deepEqual(pulls, ['in scope', 'in scope']);
  });
  it('should pull a stream in the scope of a scoped stage that has no end, fused as nested', async () => {
    const als = new AsyncLocalStorage<string>();
    const where = (): string => als.getStore() ?? 'outside';
    const scope = () => <T>(fn: () => T): T => als.run('in scope', fn);
    const scopeOnly: Middleware = staged((next) => (req, ctx) => onCallEnd(next, req, ctx, () => undefined, performance.now(), scope()), { begin: () => 'scoped', scope });
    const watching: Middleware = staged((next) => (req, ctx) => onCallEnd(next, req, ctx, () => undefined), { begin: () => 'w', end: () => undefined });
    const pullsThrough = async (m: Middleware): Promise<string[]> => {
      const pulls: string[] = [];
      const streamed: Handler = async () => (async function* () { pulls.push(where()); yield 1; pulls.push(where()); })();
      for await (const _ of (await m(streamed)({}, context())) as AsyncIterable<unknown>);
      return pulls;
    };
    const nested = await pullsThrough((next) => watching(scopeOnly(next)));
    const fused = await pullsThrough(chain(watching, scopeOnly));
    assert.deepEqual(nested, ['in scope', 'in scope']);
    assert.deepEqual(fused, nested);
  });
});
