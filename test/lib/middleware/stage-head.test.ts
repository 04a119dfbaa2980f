import { AsyncLocalStorage, createHook } from 'node:async_hooks';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KratosError } from '../../../lib/errors/index.js';
import { Metadata } from '../../../lib/metadata/index.js';
import { chain, onCallEnd, staged, UNWATCHED, type CallOutcome, type Handler, type Middleware } from '../../../lib/middleware/index.js';
import type { Context } from '../../../lib/transport/index.js';
import { sameFusedAndNested } from '../../helpers/fused-vs-nested.js';

// A scoped stage that can enter its scope without a closure (`enter`) heads a fused run, so a call
// through it and its staged neighbours costs one watch on the reply (tracing's recorded span ends from
// the access log's watch). Everything happens as nested, except that the head's own end is told inside
// its scope (nested, its `.then` was outside it).

function context(unaryReply = true): Context {
  return { kind: 'grpc', side: 'server', operation: '/a.B/C', endpoint: '', requestHeader: new Metadata(), replyHeader: new Metadata(), signal: new AbortController().signal, deadline: undefined, metadata: new Metadata(), unaryReply } as Context;
}

const als = new AsyncLocalStorage<string>();
const where = (): string => als.getStore() ?? 'outside';
const nameOf = (err: unknown): string => (err === undefined ? 'ok' : err instanceof KratosError ? err.reason : (err as Error).message);

/** A scoped observer that may head a run; `skip` makes its begin UNWATCHED. */
function head(events: string[], opts: { skip?: boolean; throwOnBegin?: boolean } = {}): Middleware {
  const begin = (): string | typeof UNWATCHED => {
    events.push(`head begin ${where()}`);
    if (opts.throwOnBegin === true) throw new Error('head broke');
    return opts.skip === true ? UNWATCHED : 'head';
  };
  const scope = () => <T>(fn: () => T): T => als.run('in head', fn);
  const enter = <A, T>(_s: string, fn: (a: A) => T, a: A): T => als.run('in head', fn, a);
  const end = (_s: string, o: CallOutcome): void => void events.push(`head end ${nameOf(o.error)}`);
  const own: Middleware = (next) => (req, ctx) => {
    const state = begin();
    if (state === UNWATCHED) return next(req, ctx);
    return onCallEnd(next, req, ctx, (o) => end(state, o), performance.now(), scope());
  };
  return staged(own, { begin, scope, end, enter });
}

function watching(name: string, events: string[], recover?: string): Middleware {
  const begin = (): string => (events.push(`${name} begin ${where()}`), name);
  const end = (_s: string, o: CallOutcome): void => void events.push(`${name} end ${nameOf(o.error)} ${where()}`);
  const own: Middleware = (next) => (req, ctx) => {
    begin();
    const watched: Handler = recover === undefined ? next : (r, c) => Promise.resolve().then(() => next(r, c)).catch(() => { throw new KratosError(500, recover, 'recovered'); });
    return onCallEnd(watched, req, ctx, (o) => end(name, o));
  };
  return staged(own, { begin, end, ...(recover === undefined ? {} : { recover: () => new KratosError(500, recover, 'recovered') }) });
}

async function run(fused: boolean, m: Middleware[], handler: Handler, ctx = context()): Promise<unknown> {
  const h = fused ? chain(...m)(handler) : m.reduceRight<Handler>((next, mw) => mw(next), handler);
  try {
    return await h({}, ctx);
  } catch (e) {
    return `rejected ${nameOf(e)}`;
  }
}

describe('a scoped stage heading a fused run', () => {
  it('should begin, run and end the stages after it in its scope, in the order nesting does', async () => {
    const ok = await sameFusedAndNested(run, (e) => [head(e), watching('a', e), watching('b', e)], async () => where());
    assert.equal(ok.result, 'in head');
    assert.deepEqual(ok.events, ['head begin outside', 'a begin in head', 'b begin in head', 'b end ok in head', 'a end ok in head', 'head end ok']);
    const failed = await sameFusedAndNested(run, (e) => [head(e), watching('a', e), watching('b', e, 'RECOVERED')], async () => {
      throw new Error('boom');
    });
    assert.equal(failed.result, 'rejected RECOVERED');
    assert.deepEqual(failed.events.slice(3), ['b end RECOVERED in head', 'a end RECOVERED in head', 'head end RECOVERED']);
    const sync = await sameFusedAndNested(run, (e) => [head(e), watching('a', e)], () => {
      throw new Error('sync');
    });
    assert.deepEqual(sync.events.slice(2), ['a end sync in head', 'head end sync']);
  });

  it('should run as nested when the head does not watch the call or fails to begin', async () => {
    const skipped = await sameFusedAndNested(run, (e) => [head(e, { skip: true }), watching('a', e)], async () => where());
    assert.equal(skipped.result, 'outside');
    assert.deepEqual(skipped.events, ['head begin outside', 'a begin outside', 'a end ok outside']);
    const events: string[] = [];
    assert.equal(await run(true, [head(events, { throwOnBegin: true }), watching('a', events)], async () => 'x'), 'rejected head broke');
    assert.deepEqual(events, ['head begin outside']);
  });

  it('should pull a reply stream in its scope and end everyone when the stream ends', async () => {
    const pulls: string[] = [];
    const events: string[] = [];
    const streamed: Handler = async () =>
      (async function* () {
        pulls.push(where());
        yield 1;
        pulls.push(where());
      })();
    const stream = (await run(true, [head(events), watching('a', events)], streamed, context(false))) as AsyncIterable<unknown>;
    assert.deepEqual(events, ['head begin outside', 'a begin in head']);
    for await (const _ of stream) pulls.push(`got ${where()}`);
    assert.deepEqual(pulls, ['in head', 'got outside', 'in head']);
    assert.deepEqual(events.slice(2), ['a end ok outside', 'head end ok']);
  });

  it('should cost one promise per call where nested it costs two', async () => {
    const m = (): Middleware[] => [head([]), watching('a', [])];
    const once = async (h: Handler): Promise<number> => {
      for (let i = 0; i < 20; i++) await h({}, context());
      let n = 0;
      const hook = createHook({ init: (_id, type) => void (type === 'PROMISE' && n++) }).enable();
      try {
        for (let i = 0; i < 100; i++) await h({}, context());
      } finally {
        hook.disable();
      }
      return n / 100;
    };
    // The fewest of three counts: whatever else the process runs meanwhile only adds.
    const count = async (h: Handler): Promise<number> => Math.min(await once(h), await once(h), await once(h));
    const handler: Handler = async () => 'x';
    const bare = await count(handler);
    assert.equal((await count(chain(...m())(handler))) - bare, 1);
    assert.equal((await count(m().reduceRight<Handler>((next, mw) => mw(next), handler))) - bare, 2);
  });
});
