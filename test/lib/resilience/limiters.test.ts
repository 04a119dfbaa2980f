import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FrameworkError, notFound } from '../../../lib/errors/index.js';
import { bulkhead, rateLimit, rateLimited, TokenBucketLimiter, type Limiter } from '../../../lib/resilience/index.js';
import { ctxFor, FakeClock, isKratos, streamOf } from './fixtures.js';

describe('TokenBucketLimiter', () => {
  describe('.allow', () => {
    describe('having a fresh bucket', () => {
      it('should admit the burst at once, then reject with 429 RATELIMIT', () => {
        const clock = new FakeClock();
        const tb = new TokenBucketLimiter({ rate: 10, burst: 3, clock: clock.read });
        for (let i = 0; i < 3; i++) tb.allow();
        assert.throws(() => tb.allow(), isKratos(429, 'RATELIMIT'));
      });
    });

    describe('when time passes', () => {
      it('should refill at `rate` per second, never above `burst`', () => {
        const clock = new FakeClock();
        const tb = new TokenBucketLimiter({ rate: 10, burst: 3, clock: clock.read });
        for (let i = 0; i < 3; i++) tb.allow();
        clock.advance(99);
        assert.throws(() => tb.allow());
        clock.advance(1);
        tb.allow();
        assert.throws(() => tb.allow());
        clock.advance(60_000);
        assert.equal(tb.tokens(), 3);
        let admitted = 0;
        for (let i = 0; i < 10; i++) {
          try {
            tb.allow();
            admitted++;
          } catch {
            // rejected
          }
        }
        assert.equal(admitted, 3);
      });

      it('should sustain exactly `rate` calls per second', () => {
        const clock = new FakeClock();
        const tb = new TokenBucketLimiter({ rate: 50, burst: 1, clock: clock.read });
        let admitted = 0;
        for (let t = 0; t < 10_000; t++) {
          clock.advance(1);
          try {
            tb.allow();
            admitted++;
          } catch {
            // rejected
          }
        }
        assert.ok(admitted >= 500 && admitted <= 501, `admitted ${admitted} in 10 s`);
      });
    });

    describe('when the clock steps back', () => {
      it('should not mint tokens for time already counted', () => {
        const clock = new FakeClock();
        clock.now = 1000;
        const tb = new TokenBucketLimiter({ rate: 1, burst: 1, clock: clock.read });
        tb.allow();
        clock.now = 0;
        assert.throws(() => tb.allow());
        clock.now = 1000;
        assert.throws(() => tb.allow());
        clock.now = 2000;
        tb.allow();
      });
    });
  });

  describe('constructor', () => {
    describe('having a rate of 0 or a burst below 1', () => {
      it('should throw KRATOS_ERR_OPTIONS_INVALID', () => {
        const invalid = (e: unknown): boolean => FrameworkError.isFrameworkError(e) && e.code === 'KRATOS_ERR_OPTIONS_INVALID';
        assert.throws(() => new TokenBucketLimiter({ rate: 0, burst: 1 }), invalid);
        assert.throws(() => new TokenBucketLimiter({ rate: 1, burst: 0.5 }), invalid);
      });
    });
  });
});

/** A limiter that admits while `open` and records what each call reported. */
class SpyLimiter implements Limiter {
  open = true;
  reports: unknown[] = [];
  allow() {
    if (!this.open) throw rateLimited();
    return (err?: unknown) => void this.reports.push(err ?? 'ok');
  }
}

describe('rateLimited', () => {
  it('should make the 429 RATELIMIT error without capturing a stack (shedding must stay cheap), leaving Error.stackTraceLimit as it was', () => {
    const before = Error.stackTraceLimit;
    const err = rateLimited();
    assert.deepEqual([err.code, err.reason, err.message], [429, 'RATELIMIT', 'service unavailable due to rate limit exceeded']);
    assert.doesNotMatch(err.stack ?? '', /\n\s+at /);
    assert.equal(Error.stackTraceLimit, before);
    assert.match(new Error('x').stack ?? '', /\n\s+at /);
  });
});

describe('rateLimit', () => {
  describe('having a limiter that rejects', () => {
    it('should answer 429 RATELIMIT without running the handler', async () => {
      const spy = new SpyLimiter();
      spy.open = false;
      let ran = false;
      const h = rateLimit({ limiter: spy })(async () => (ran = true));
      await assert.rejects(h({}, ctxFor('/a', { side: 'server' })), isKratos(429, 'RATELIMIT'));
      assert.equal(ran, false);
    });
  });

  describe('having a limiter that admits', () => {
    it('should report each call when it ends, with its error', async () => {
      const spy = new SpyLimiter();
      const mw = rateLimit({ limiter: spy });
      assert.equal(await mw(async () => 'reply')({}, ctxFor('/a', { side: 'server' })), 'reply');
      const nf = notFound('NF', 'nf');
      await assert.rejects(mw(async () => Promise.reject(nf))({}, ctxFor('/a', { side: 'server' })));
      assert.deepEqual(spy.reports, ['ok', nf]);
    });

    it('should report a streamed reply when the stream ends', async () => {
      const spy = new SpyLimiter();
      const source = streamOf(['a', 'b']);
      const stream = (await rateLimit({ limiter: spy })(async () => source)({}, ctxFor('/a', { side: 'server' }))) as AsyncIterable<string>;
      assert.deepEqual(spy.reports, []);
      for await (const _ of stream) void _;
      assert.deepEqual(spy.reports, ['ok']);
    });
  });

  describe('having no options', () => {
    it('should use BBR, which admits calls on an idle service', async () => {
      const h = rateLimit()(async () => 'ok');
      assert.equal(await h({}, ctxFor('/a', { side: 'server' })), 'ok');
    });
  });
});

/** A handler whose calls stay in flight until released. */
function gated() {
  const gates: (() => void)[] = [];
  const handler = () => new Promise<string>((resolve) => gates.push(() => resolve('done')));
  return { handler, releaseOne: () => gates.shift()?.() };
}

describe('bulkhead', () => {
  describe('having maxConcurrent calls in flight', () => {
    it('should fail the next one at once with 503 BULKHEAD', async () => {
      const { handler, releaseOne } = gated();
      const h = bulkhead({ maxConcurrent: 2 })(handler);
      const a = h({}, ctxFor('/a'));
      const b = h({}, ctxFor('/b'));
      await assert.rejects(h({}, ctxFor('/c')), isKratos(503, 'BULKHEAD'));
      releaseOne();
      releaseOne();
      assert.deepEqual(await Promise.all([a, b]), ['done', 'done']);
    });
  });

  describe('when a call finishes', () => {
    it('should free its slot, whether it succeeded or failed', async () => {
      const { handler, releaseOne } = gated();
      const mw = bulkhead({ maxConcurrent: 1 });
      const h = mw(handler);
      const first = h({}, ctxFor('/a'));
      await assert.rejects(h({}, ctxFor('/a')), isKratos(503, 'BULKHEAD'));
      releaseOne();
      await first;
      await assert.rejects(mw(async () => Promise.reject(new Error('boom')))({}, ctxFor('/a')), /boom/);
      assert.equal(await mw(async () => 'free')({}, ctxFor('/a')), 'free');
    });
  });

  describe('having a streamed reply', () => {
    it('should hold the slot until the stream ends', async () => {
      const mw = bulkhead({ maxConcurrent: 1 });
      const stream = (await mw(async () => streamOf([1, 2]))({}, ctxFor('/s'))) as AsyncIterable<number>;
      await assert.rejects(mw(async () => 'x')({}, ctxFor('/a')), isKratos(503, 'BULKHEAD'));
      for await (const _ of stream) void _;
      assert.equal(await mw(async () => 'x')({}, ctxFor('/a')), 'x');
    });

    it('should release it when the consumer stops early, even before reading', async () => {
      const mw = bulkhead({ maxConcurrent: 1 });
      const source = streamOf([1, 2, 3]);
      const stream = (await mw(async () => source)({}, ctxFor('/s'))) as AsyncIterable<number>;
      for await (const v of stream) if (v === 1) break;
      assert.equal(source.finished, true, 'the source is closed too');
      const unread = (await mw(async () => streamOf([1]))({}, ctxFor('/s'))) as AsyncIterable<number>;
      await unread[Symbol.asyncIterator]().return?.();
      assert.equal(await mw(async () => 'x')({}, ctxFor('/a')), 'x');
    });
  });

  describe('having perOperation', () => {
    it('should count each operation separately', async () => {
      const { handler, releaseOne } = gated();
      const h = bulkhead({ maxConcurrent: 1, perOperation: true })(handler);
      const a = h({}, ctxFor('/a'));
      const b = h({}, ctxFor('/b'));
      await assert.rejects(h({}, ctxFor('/a')), isKratos(503, 'BULKHEAD'));
      releaseOne();
      releaseOne();
      await Promise.all([a, b]);
    });
  });

  describe('having an invalid maxConcurrent', () => {
    it('should throw KRATOS_ERR_OPTIONS_INVALID', () => {
      for (const maxConcurrent of [0, 1.5, Number.NaN]) {
        assert.throws(() => bulkhead({ maxConcurrent }), (e) => FrameworkError.isFrameworkError(e) && e.code === 'KRATOS_ERR_OPTIONS_INVALID');
      }
    });
  });
});
