import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FrameworkError, gatewayTimeout, internalServer, KratosError, notFound, serviceUnavailable, tooManyRequests } from '../../../lib/errors/index.js';
import { circuitBreaker, RollingWindow, SreBreaker, type Bucket, type CircuitBreaker } from '../../../lib/resilience/index.js';
import { ctxFor, FakeClock, isKratos, streamOf } from './fixtures.js';

describe('RollingWindow', () => {
  describe('.add', () => {
    describe('having values in several time slices', () => {
      it('should count and sum them per bucket', () => {
        const clock = new FakeClock();
        const w = new RollingWindow({ window: 1000, size: 10, clock: clock.read });
        w.add(1);
        w.add(2);
        clock.advance(250);
        w.add(5);
        const live = w.reduce<Bucket[]>((acc, b) => (b.count > 0 ? [...acc, b] : acc), []);
        assert.deepEqual(live, [
          { count: 2, sum: 3, start: 0 },
          { count: 1, sum: 5, start: 200 },
        ]);
      });
    });

    describe('having a bucket whose slot came round again', () => {
      it('should reset it before adding', () => {
        const clock = new FakeClock();
        const w = new RollingWindow({ window: 1000, size: 10, clock: clock.read });
        w.add(7);
        clock.advance(1000); // same array slot, next lap
        w.add(1);
        assert.deepEqual(w.totals(), { count: 1, sum: 1 });
      });
    });
  });

  describe('.reduce', () => {
    describe('when called', () => {
      it('should visit exactly size buckets, oldest first', () => {
        const clock = new FakeClock();
        clock.now = 1234;
        const w = new RollingWindow({ window: 1000, size: 10, clock: clock.read });
        const starts = w.reduce<number[]>((acc, b) => [...acc, b.start], []);
        assert.deepEqual(starts, [300, 400, 500, 600, 700, 800, 900, 1000, 1100, 1200]);
      });
    });

    describe('when called with skipCurrent', () => {
      it('should leave out the bucket being filled', () => {
        const clock = new FakeClock();
        const w = new RollingWindow({ window: 1000, size: 10, clock: clock.read });
        w.add(1);
        clock.advance(100);
        w.add(10);
        assert.equal(w.reduce((s, b) => s + b.sum, 0, { skipCurrent: true }), 1);
        assert.equal(w.reduce((n) => n + 1, 0, { skipCurrent: true }), 9);
      });
    });
  });

  describe('.totals', () => {
    describe('having buckets older than the window', () => {
      it('should forget them without any write', () => {
        const clock = new FakeClock();
        const w = new RollingWindow({ window: 1000, size: 10, clock: clock.read });
        w.add(1);
        clock.now = 500;
        w.add(2);
        assert.deepEqual(w.totals(), { count: 2, sum: 3 });
        clock.now = 1050;
        assert.deepEqual(w.totals(), { count: 1, sum: 2 });
        clock.now = 5000;
        assert.deepEqual(w.totals(), { count: 0, sum: 0 });
      });
    });
  });

  describe('constructor', () => {
    describe('having a size of 0', () => {
      it('should throw KRATOS_ERR_OPTIONS_INVALID', () => {
        assert.throws(() => new RollingWindow({ window: 1000, size: 0 }), (e) => FrameworkError.isFrameworkError(e) && e.code === 'KRATOS_ERR_OPTIONS_INVALID');
      });
    });
  });
});

const K = 1 / 0.6;
const formula = (total: number, accepts: number): number => Math.max(0, (total - K * accepts) / (total + 1));

// Kratos' window (3 s, 100 requests) and no probes: the formula's figures below are aegis'.
function breaker(clock: FakeClock, random = (): number => 0): SreBreaker {
  return new SreBreaker({ clock: clock.read, random, request: 100, window: 3000, probeInterval: 0 });
}

function record(b: SreBreaker, failures: number, successes: number): void {
  for (let i = 0; i < failures; i++) b.markFailed();
  for (let i = 0; i < successes; i++) b.markSuccess();
}

describe('SreBreaker', () => {
  describe('.allow', () => {
    describe('having fewer than 100 requests in the window', () => {
      it('should let every call through however many failed', () => {
        const b = breaker(new FakeClock());
        record(b, 99, 0);
        assert.equal(b.dropRatio(), 0);
        for (let i = 0; i < 50; i++) b.allow();
      });
    });

    describe('having a failing backend', () => {
      it('should drop with probability max(0, (total - K·accepts) / (total + 1))', () => {
        const clock = new FakeClock();
        const b = breaker(clock);
        record(b, 120, 30); // total 150, K·accepts = 50
        assert.ok(Math.abs(b.dropRatio() - 100 / 151) < 1e-12);
        assert.ok(Math.abs(b.dropRatio() - formula(150, 30)) < 1e-12);
      });

      it('should throw 503 CIRCUITBREAKER when the random draw falls under the ratio, and pass otherwise', () => {
        const clock = new FakeClock();
        let draw = 0.66;
        const b = breaker(clock, () => draw);
        record(b, 120, 30); // dr ≈ 0.6623
        assert.throws(() => b.allow(), isKratos(503, 'CIRCUITBREAKER'));
        draw = 0.67;
        b.allow();
      });

      it('should not count its own drops (the middleware marks them)', () => {
        const b = breaker(new FakeClock());
        record(b, 100, 0);
        const before = b.dropRatio();
        assert.throws(() => b.allow());
        assert.equal(b.dropRatio(), before);
      });
    });

    describe('having a drop ratio near 1 and no call let through for probeInterval', () => {
      it('should let one probe through per probeInterval, and drop the rest', () => {
        const clock = new FakeClock();
        const b = new SreBreaker({ clock: clock.read, random: () => 0, probeInterval: 200 });
        record(b, 50, 0);
        b.allow(); // the first call after nothing went through is a probe
        assert.throws(() => b.allow(), isKratos(503, 'CIRCUITBREAKER'));
        clock.advance(199);
        assert.throws(() => b.allow(), isKratos(503, 'CIRCUITBREAKER'));
        clock.advance(1);
        b.allow();
        assert.throws(() => b.allow(), isKratos(503, 'CIRCUITBREAKER'));
      });
    });

    describe('having the default options and a backend failing every call', () => {
      it('should drop within the 1 s window once 20 calls failed, and forget them a second later', () => {
        const clock = new FakeClock();
        const b = new SreBreaker({ clock: clock.read, random: () => 0.5 });
        for (let i = 0; i < 100; i++) b.markSuccess();
        clock.advance(400);
        for (let i = 0; i < 400; i++) b.markFailed();
        assert.ok(b.dropRatio() > 0.5, `drop ratio ${b.dropRatio()}`);
        clock.advance(1000);
        assert.equal(b.dropRatio(), 0);
      });
    });

    describe('having a backend that heals', () => {
      it('should stop dropping once total < K·accepts', () => {
        const clock = new FakeClock();
        const b = breaker(clock);
        record(b, 200, 0);
        assert.ok(Math.abs(b.dropRatio() - 200 / 201) < 1e-12);
        clock.advance(1000);
        record(b, 0, 250); // total 450 > K·250 ≈ 416.7: still shedding, less
        assert.ok(Math.abs(b.dropRatio() - formula(450, 250)) < 1e-12);
        assert.ok(b.dropRatio() < 0.1);
        record(b, 0, 51); // total 501 < K·301 ≈ 501.7
        assert.equal(b.dropRatio(), 0);
        b.allow();
      });
    });

    describe('having failures older than the window', () => {
      it('should forget them', () => {
        const clock = new FakeClock();
        const b = breaker(clock);
        record(b, 200, 0);
        clock.now = 2999; // 3 s window, 300 ms buckets: the first bucket is still in
        assert.ok(b.dropRatio() > 0.99);
        clock.now = 3000;
        assert.equal(b.dropRatio(), 0);
        b.allow();
      });
    });
  });

  describe('constructor', () => {
    describe('having custom options', () => {
      it('should use them (K = 1 / success, request threshold)', () => {
        const b = new SreBreaker({ success: 0.5, request: 10, clock: () => 0 });
        record(b, 8, 2); // total 10, K·accepts = 4
        assert.ok(Math.abs(b.dropRatio() - 6 / 11) < 1e-12);
      });
    });

    describe('having success outside (0, 1]', () => {
      it('should throw KRATOS_ERR_OPTIONS_INVALID', () => {
        for (const success of [0, 1.5, Number.NaN]) {
          assert.throws(() => new SreBreaker({ success }), (e) => FrameworkError.isFrameworkError(e) && e.code === 'KRATOS_ERR_OPTIONS_INVALID');
        }
      });
    });
  });
});

/** A breaker that records marks and drops only when told to. */
class SpyBreaker implements CircuitBreaker {
  marks: string[] = [];
  open = false;
  allow(): void {
    if (this.open) throw new KratosError(503, 'CIRCUITBREAKER', 'open');
  }
  markSuccess(): void {
    this.marks.push('success');
  }
  markFailed(): void {
    this.marks.push('failed');
  }
}

const failWith = (err: unknown) => async (): Promise<never> => {
  throw err;
};

describe('circuitBreaker', () => {
  describe('having calls that end in various ways', () => {
    it('should mark 500, 503, 504 and non-Kratos errors failed, and 4xx and replies successful', async () => {
      const spy = new SpyBreaker();
      const mw = circuitBreaker({ breaker: () => spy });
      const ctx = ctxFor('/a.v1.A/Get');
      const outcomes: [() => Promise<unknown>, string][] = [
        [failWith(internalServer('X', 'x')), 'failed'],
        [failWith(serviceUnavailable('UNAVAILABLE', 'ECONNREFUSED')), 'failed'],
        [failWith(gatewayTimeout('T', 't')), 'failed'],
        [failWith(new Error('socket hang up')), 'failed'],
        [failWith(notFound('NF', 'nf')), 'success'],
        [failWith(tooManyRequests('RL', 'rl')), 'success'],
        [async () => 'ok', 'success'],
      ];
      for (const [handler, expected] of outcomes) {
        spy.marks = [];
        await mw(handler)({}, ctx).catch(() => undefined);
        assert.deepEqual(spy.marks, [expected]);
      }
    });
  });

  describe('having an open breaker', () => {
    it('should fail fast with 503 CIRCUITBREAKER without calling next, and not count the drop as a backend failure', async () => {
      const spy = new SpyBreaker();
      spy.open = true;
      let calls = 0;
      const h = circuitBreaker({ breaker: () => spy })(async () => ++calls);
      await assert.rejects(h({}, ctxFor('/a')), isKratos(503, 'CIRCUITBREAKER'));
      assert.equal(calls, 0);
      assert.deepEqual(spy.marks, []);
    });
  });

  describe('having a failing operation next to a healthy one', () => {
    it('should open for the failing operation only', async () => {
      const mw = circuitBreaker({ breaker: () => new SreBreaker({ request: 10, clock: () => 0, random: () => 0, probeInterval: 0 }) });
      let downCalls = 0;
      const down = mw(async () => {
        downCalls++;
        throw serviceUnavailable('UNAVAILABLE', 'down');
      });
      for (let i = 0; i < 10; i++) await down({}, ctxFor('/a.v1.A/Down')).catch(() => undefined);
      await assert.rejects(down({}, ctxFor('/a.v1.A/Down')), isKratos(503, 'CIRCUITBREAKER'));
      assert.equal(downCalls, 10);
      const up = mw(async () => 'fine');
      assert.equal(await up({}, ctxFor('/a.v1.A/Up')), 'fine');
    });

    it('should count 404s as successes, never opening', async () => {
      const mw = circuitBreaker({ breaker: () => new SreBreaker({ request: 10, clock: () => 0, random: () => 0, probeInterval: 0 }) });
      const h = mw(async () => {
        throw notFound('NO_SUCH', 'nope');
      });
      for (let i = 0; i < 50; i++) await assert.rejects(h({}, ctxFor('/a.v1.A/Get')), isKratos(404, 'NO_SUCH'));
    });
  });

  describe('having perNode', () => {
    it('should keep one breaker per operation and endpoint', async () => {
      const made: string[] = [];
      const mw = circuitBreaker({ perNode: true, breaker: () => (made.push('x'), new SpyBreaker()) });
      const h = mw(async () => 'ok');
      await h({}, ctxFor('/a', { endpoint: '10.0.0.1:9000' }));
      await h({}, ctxFor('/a', { endpoint: '10.0.0.2:9000' }));
      await h({}, ctxFor('/a', { endpoint: '10.0.0.1:9000' }));
      assert.equal(made.length, 2);
    });
  });

  describe('having a streamed reply', () => {
    it('should mark the outcome when the stream ends, not when it is returned', async () => {
      const spy = new SpyBreaker();
      const h = circuitBreaker({ breaker: () => spy })(async () => streamOf([1, 2]));
      const stream = (await h({}, ctxFor('/a'))) as AsyncIterable<number>;
      assert.deepEqual(spy.marks, []);
      const got: number[] = [];
      for await (const v of stream) got.push(v);
      assert.deepEqual(got, [1, 2]);
      assert.deepEqual(spy.marks, ['success']);
    });
  });
});
