import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as tick } from 'node:timers/promises';
import { KratosError } from '../../../lib/errors/index.js';
import { Metadata } from '../../../lib/metadata/index.js';
import { asReplyStream, CallStream, cancellation, isAsyncIterable, onCallEnd, SyncReplies, syncIteratorOf, type CallOutcome, type Handler } from '../../../lib/middleware/index.js';
import type { Context } from '../../../lib/transport/index.js';

function context(signal = new AbortController().signal): Context {
  return { kind: 'grpc', side: 'server', operation: '/a.B/C', endpoint: '', requestHeader: new Metadata(), replyHeader: new Metadata(), signal, deadline: undefined, metadata: new Metadata() };
}

/** Records every outcome it is told. */
function recorder(): { ends: CallOutcome[]; onEnd: (o: CallOutcome) => void } {
  const ends: CallOutcome[] = [];
  return { ends, onEnd: (o) => ends.push(o) };
}

/** A source that counts how it was pulled and closed, and yields `items` then ends (or fails with `fail`). */
function source(items: unknown[], fail?: Error): AsyncIterable<unknown> & { returned: number; pulls: number } {
  const s = {
    returned: 0,
    pulls: 0,
    [Symbol.asyncIterator]() {
      let i = 0;
      return {
        next: async (): Promise<IteratorResult<unknown>> => {
          s.pulls++;
          if (i < items.length) return { done: false, value: items[i++] };
          if (fail !== undefined) throw fail;
          return { done: true, value: undefined };
        },
        return: async (): Promise<IteratorResult<unknown>> => {
          s.returned++;
          return { done: true, value: undefined };
        },
      };
    },
  };
  return s;
}

const CANCELLED = new KratosError(499, 'CANCELLED', 'call cancelled by the client');

describe('onCallEnd', () => {
  describe('for a unary call', () => {
    it('should tell a success once, with the start it was given, and pass the reply on', async () => {
      const r = recorder();
      assert.equal(await onCallEnd(async () => 'ok', {}, context(), r.onEnd, 12), 'ok');
      assert.deepEqual(r.ends, [{ error: undefined, cancelled: false, start: 12 }]);
    });

    it('should tell a rejection once and rethrow it', async () => {
      const r = recorder();
      const e = new Error('boom');
      await assert.rejects(onCallEnd(async () => { throw e; }, {}, context(), r.onEnd), (x) => x === e);
      assert.equal(r.ends.length, 1);
      assert.equal(r.ends[0]!.error, e);
      assert.equal(r.ends[0]!.cancelled, false);
    });

    it('should tell a handler that throws synchronously, as a rejection', async () => {
      const r = recorder();
      const e = new Error('sync');
      const h = ((): never => { throw e; }) as unknown as Handler;
      await assert.rejects(onCallEnd(h, {}, context(), r.onEnd), (x) => x === e);
      assert.deepEqual(r.ends.map((o) => o.error), [e]);
    });

    it('should tell a call whose signal aborted during its await as cancelled, whatever the handler returned', async () => {
      const r = recorder();
      const ac = new AbortController();
      const done = onCallEnd(async () => { await tick(); ac.abort(CANCELLED); await tick(); return 'late'; }, {}, context(ac.signal), r.onEnd);
      assert.equal(await done, 'late');
      assert.deepEqual(r.ends.map((o) => [o.error, o.cancelled]), [[CANCELLED, true]]);
    });

    it('should not tell anything more when the signal aborts after the end', async () => {
      const r = recorder();
      const ac = new AbortController();
      await onCallEnd(async () => 'ok', {}, context(ac.signal), r.onEnd);
      ac.abort(CANCELLED);
      await tick();
      assert.deepEqual(r.ends.map((o) => o.cancelled), [false]);
    });

    it('should read the context\'s aborted flag, not make its signal', async () => {
      const r = recorder();
      const ctx = { ...context(), aborted: false };
      Object.defineProperty(ctx, 'signal', { get: () => assert.fail('the signal was made') });
      assert.equal(await onCallEnd(async () => 'ok', {}, ctx, r.onEnd), 'ok');
      assert.equal(r.ends.length, 1);
    });
  });

  describe('for a streamed reply', () => {
    it('should tell a success once, when the stream ends, not when the handler returns', async () => {
      const r = recorder();
      const out = await onCallEnd(async () => source([1, 2]), {}, context(), r.onEnd);
      assert.ok(out instanceof CallStream);
      assert.equal(r.ends.length, 0);
      const got: unknown[] = [];
      for await (const x of out as AsyncIterable<unknown>) got.push(x);
      assert.deepEqual(got, [1, 2]);
      assert.deepEqual(r.ends.map((o) => [o.error, o.cancelled]), [[undefined, false]]);
    });

    it('should tell a failure mid-stream once and rethrow it', async () => {
      const r = recorder();
      const e = new KratosError(409, 'CONFLICT', 'late');
      const out = (await onCallEnd(async () => source([1], e), {}, context(), r.onEnd)) as AsyncIterable<unknown>;
      await assert.rejects(async () => { for await (const _ of out) void _; }, (x) => x === e);
      assert.deepEqual(r.ends.map((o) => o.error), [e]);
    });

    it('should tell an early return() before the first pull as a success, and still close the source', async () => {
      const r = recorder();
      const src = source([1, 2]);
      const out = (await onCallEnd(async () => src, {}, context(), r.onEnd)) as AsyncIterator<unknown>;
      assert.deepEqual(await out.return!(), { done: true, value: undefined });
      await out.return!();
      assert.deepEqual(r.ends.map((o) => [o.error, o.cancelled]), [[undefined, false]]);
      assert.equal(src.returned, 2);
      assert.equal(src.pulls, 0);
    });

    it('should tell a consumer\'s throw() as its error', async () => {
      const r = recorder();
      const e = new Error('consumer gave up');
      const out = (await onCallEnd(async () => source([1]), {}, context(), r.onEnd)) as AsyncIterator<unknown>;
      await out.next();
      await assert.rejects(out.throw!(e), (x) => x === e);
      assert.deepEqual(r.ends.map((o) => o.error), [e]);
    });

    it('should tell the cancellation as soon as the signal aborts, even while a pull waits forever', async () => {
      const r = recorder();
      const ac = new AbortController();
      let release = (): void => undefined;
      async function* stalls(): AsyncGenerator<number> {
        yield 1;
        await new Promise<void>((resolve) => (release = resolve));
        yield 2;
      }
      const out = (await onCallEnd(async () => stalls(), {}, context(ac.signal), r.onEnd)) as AsyncIterator<unknown>;
      await out.next();
      const pending = out.next();
      await tick();
      ac.abort(CANCELLED);
      assert.deepEqual(r.ends.map((o) => [o.error, o.cancelled]), [[CANCELLED, true]]);
      release();
      assert.deepEqual(await pending, { done: false, value: 2 });
      assert.deepEqual(await out.next(), { done: true, value: undefined });
      assert.equal(r.ends.length, 1);
    });

    it('should tell a stream that ends normally after its signal aborted as cancelled, once', async () => {
      const r = recorder();
      const ac = new AbortController();
      const out = (await onCallEnd(async () => source([1]), {}, context(ac.signal), r.onEnd)) as AsyncIterable<unknown>;
      for await (const _ of out) ac.abort(CANCELLED);
      assert.deepEqual(r.ends.map((o) => [o.error, o.cancelled]), [[CANCELLED, true]]);
    });

    it('should tell a stream returned after its call was already cancelled at once', async () => {
      const r = recorder();
      const ac = new AbortController();
      ac.abort(CANCELLED);
      await onCallEnd(async () => source([1]), {}, context(ac.signal), r.onEnd);
      assert.deepEqual(r.ends.map((o) => o.cancelled), [true]);
    });

    it('should not tell anything more when the signal aborts after the end', async () => {
      const r = recorder();
      const ac = new AbortController();
      const out = (await onCallEnd(async () => source([1]), {}, context(ac.signal), r.onEnd)) as AsyncIterable<unknown>;
      for await (const _ of out) void _;
      ac.abort(CANCELLED);
      await tick();
      assert.deepEqual(r.ends.map((o) => o.cancelled), [false]);
    });

    it('should share one wrapper between the middleware of a call, telling the inner one first, each with its own start', async () => {
      const order: string[] = [];
      const ctx = context();
      let innerStream: unknown;
      const inner: Handler = async (req, c) => (innerStream = await onCallEnd(async () => source([1]), req, c, (o) => order.push(`inner ${o.start}`), 2));
      const out = await onCallEnd(inner, {}, ctx, (o) => order.push(`outer ${o.start}`), 1);
      assert.equal(out, innerStream, 'the outer middleware does not wrap the stream again');
      for await (const _ of out as AsyncIterable<unknown>) void _;
      assert.deepEqual(order, ['inner 2', 'outer 1']);
    });

    it('should let a transport drive the stream inside the scope, reporting the end once when its loop settles', async () => {
      let inScope = false;
      const scope = <T>(fn: () => T): T => {
        inScope = true;
        try {
          return fn();
        } finally {
          inScope = false;
        }
      };
      const r = recorder();
      const out = (await onCallEnd(async () => source([1, 2]), {}, context(), r.onEnd, 0, scope)) as CallStream;
      const got: unknown[] = [];
      let startedInScope = false;
      await out.drive(async (it) => {
        startedInScope = inScope;
        for (let step = await it.next(); step.done !== true; step = await it.next()) got.push(step.value);
      });
      assert.equal(startedInScope, true);
      assert.deepEqual(got, [1, 2]);
      assert.deepEqual(r.ends.map((o) => [o.error, o.cancelled]), [[undefined, false]]);
      const e = new Error('write failed');
      const failing = (await onCallEnd(async () => source([1]), {}, context(), r.onEnd)) as CallStream;
      await assert.rejects(failing.drive(async () => { throw e; }), (x) => x === e);
      assert.deepEqual(r.ends.map((o) => o.error), [undefined, e]);
    });

    it('should run each pull inside the scope it was given', async () => {
      let inScope = false;
      const seen: boolean[] = [];
      const scope = <T>(fn: () => T): T => {
        inScope = true;
        try {
          return fn();
        } finally {
          inScope = false;
        }
      };
      const src = { [Symbol.asyncIterator]: () => ({ n: 0, async next() { seen.push(inScope); return this.n++ < 2 ? { done: false, value: this.n } : { done: true, value: undefined }; } }) };
      const out = (await onCallEnd(async () => src, {}, context(), () => undefined, 0, scope)) as AsyncIterable<unknown>;
      for await (const _ of out) void _;
      assert.deepEqual(seen, [true, true, true]);
    });
  });
});

describe('a synchronous reply stream', () => {
  /** A `*` generator over `items` that counts how often its cleanup ran, failing after them with `fail`. */
  function generator(items: unknown[], fail?: Error): Generator<unknown> & { state: { finished: number } } {
    const state = { finished: 0 };
    const g = (function* () {
      try {
        yield* items;
        if (fail !== undefined) throw fail;
      } finally {
        state.finished++;
      }
    })();
    return Object.assign(g, { state });
  }

  it('should be watched like an async one: the end told once, when a transport has driven it synchronously', async () => {
    const r = recorder();
    const g = generator([1, 2, 3]);
    const out = (await onCallEnd(async () => g, {}, context(), r.onEnd)) as CallStream;
    assert.ok(out instanceof CallStream);
    assert.equal(r.ends.length, 0);
    const got: unknown[] = [];
    await out.drive(async (it) => {
      const sync = syncIteratorOf(it);
      assert.equal(sync, g, 'the loop gets the generator itself');
      for (let step = sync!.next(); step.done !== true; step = sync!.next()) got.push(step.value);
    });
    assert.deepEqual(got, [1, 2, 3]);
    assert.deepEqual(r.ends.map((o) => [o.error, o.cancelled]), [[undefined, false]]);
  });

  it('should tell a throw mid-stream once, as for-await consumers see it too', async () => {
    const r = recorder();
    const e = new KratosError(503, 'DOWN', 'down');
    const out = (await onCallEnd(async () => generator([1], e), {}, context(), r.onEnd)) as AsyncIterable<unknown>;
    const got: unknown[] = [];
    await assert.rejects(async () => { for await (const x of out) got.push(x); }, (x) => x === e);
    assert.deepEqual(got, [1]);
    assert.deepEqual(r.ends.map((o) => o.error), [e]);
  });

  it('should close the generator on an early stop and tell it once as a success', async () => {
    const r = recorder();
    const g = generator([1, 2, 3]);
    const out = (await onCallEnd(async () => g, {}, context(), r.onEnd)) as AsyncIterator<unknown>;
    assert.deepEqual(await out.next(), { done: false, value: 1 });
    await out.return!();
    assert.equal(g.state.finished, 1);
    assert.deepEqual(r.ends.map((o) => [o.error, o.cancelled]), [[undefined, false]]);
  });

  it('should tell the cancellation as soon as the signal aborts while the transport waits to write', async () => {
    const r = recorder();
    const abort = new AbortController();
    const out = (await onCallEnd(async () => generator([1, 2]), {}, context(abort.signal), r.onEnd)) as CallStream;
    const driven = out.drive(async () => new Promise<void>(() => undefined));
    abort.abort(CANCELLED);
    await tick();
    assert.deepEqual(r.ends.map((o) => [o.error, o.cancelled]), [[CANCELLED, true]]);
    void driven;
  });

  it('should make reply streams of arrays and generators, keep async ones, and refuse messages', () => {
    const arr = [1, 2];
    assert.ok(asReplyStream(arr) instanceof SyncReplies);
    const g = generator([]);
    assert.ok(asReplyStream(g) instanceof SyncReplies);
    const a = source([]);
    assert.equal(asReplyStream(a), a);
    assert.equal(asReplyStream({ message: 'hi' }), undefined);
    assert.equal(asReplyStream('text'), undefined);
    assert.equal(asReplyStream(undefined), undefined);
  });
});

describe('cancellation', () => {
  it('should keep a Kratos reason, and map DOM-style aborts to 499 CANCELLED and timeouts to 504', () => {
    assert.equal(cancellation(CANCELLED), CANCELLED);
    const closed = Object.assign(new Error('client closed request'), { name: 'AbortError' });
    assert.deepEqual([cancellation(closed).code, cancellation(closed).reason], [499, 'CANCELLED']);
    const timeout = Object.assign(new Error('request timeout'), { name: 'TimeoutError' });
    assert.deepEqual([cancellation(timeout).code, cancellation(timeout).reason], [504, 'TIMEOUT']);
    assert.equal(cancellation(undefined).code, 499);
  });
});

describe('isAsyncIterable', () => {
  it('should tell streams from messages', () => {
    assert.equal(isAsyncIterable(source([])), true);
    assert.equal(isAsyncIterable((async function* () {})()), true);
    assert.equal(isAsyncIterable([1]), false);
    assert.equal(isAsyncIterable({ next() {} }), false);
    assert.equal(isAsyncIterable(null), false);
  });
});
