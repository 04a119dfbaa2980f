import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BbrLimiter, limiterAdmission, Pacer, type LimiterDone } from '../../../lib/resilience/index.js';
import { FakeClock } from './fixtures.js';

// How BbrLimiter treats the calls a front door's Pacer holds (admitted, not running yet): as queueing,
// which the queue rule and the held-call bound judge, not as concurrency. docs/resilience-and-security.md,
// "Paced admission" and the twelfth round under "Figures".

const SATURATED = { cpu: 1000, elu: 1, delay: 0 };

/** When the call the tests ask about was admitted (then held by the pacer), ms. */
const HELD_AT = 100;

/**
 * A saturated limiter on hand-moved clocks (wall and CPU alike), its loop's idle time moved by `idle`,
 * that has been told a pacer measures `cost` ms of CPU per call: with the default 10 ms target, three
 * calls of 6 ms fill it (a CPU-bound handler), three of 1.3 ms do not (an async one). A call is
 * admitted at HELD_AT, first of its loop turn: the held call whose turn comes later.
 */
function pacedLimiter(cost: number) {
  const clock = new FakeClock();
  const idle = { ms: 0 };
  const limiter = new BbrLimiter({ signals: () => SATURATED, clock: clock.read, workClock: clock.read, idleClock: () => idle.ms });
  /** An arrival that finds `ahead` ms of work held (one call): admitted when none is. */
  const arrive = (ahead = 0): LimiterDone | undefined => limiter.tryAllow({ cost, ahead, held: ahead > 0 ? 1 : 0 });
  clock.now = HELD_AT;
  assert.notEqual(arrive(), undefined, 'the call then held');
  return {
    clock,
    idle,
    limiter,
    arrive,
    /** Ends the held call's turn, the loop then waiting `idleMs` of `ms` for I/O, and opens the next with an arrival. */
    nextTurn: async (ms: number, ahead: number, idleMs = 0): Promise<LimiterDone | undefined> => {
      await new Promise((r) => setImmediate(r));
      clock.advance(ms);
      idle.ms += idleMs;
      return arrive(ahead);
    },
    /** Whether the held call is refused at its turn, `heldMs` after HELD_AT. */
    staleAfter: (heldMs: number): boolean => {
      clock.now = HELD_AT + heldMs;
      return limiter.stale(heldMs);
    },
  };
}

describe('BbrLimiter with a pacer holding calls', () => {
  describe('rule 1 (in flight above the estimate)', () => {
    it('should count only the calls running, not the ones a pacer holds (CallArrival.held)', () => {
      // Nothing learnt yet: the estimate is 0 calls, so rule 1 refuses from two calls in flight.
      const limiter = new BbrLimiter({ cpu: () => 900, loopTurns: false, queueTarget: 100, clock: () => 0 });
      assert.notEqual(limiter.tryAllow(), undefined);
      assert.notEqual(limiter.tryAllow({ held: 0 }), undefined);
      assert.notEqual(limiter.tryAllow({ held: 2 }), undefined, 'two in flight, both held: none running');
      assert.notEqual(limiter.tryAllow({ held: 2 }), undefined, 'three in flight, two held: one running');
      assert.equal(limiter.stat().shedInFlight, 0);
      assert.equal(limiter.tryAllow({ held: 2 }), undefined, 'four in flight, two held: two running, above the estimate');
      assert.equal(limiter.tryAllow(), undefined, 'without a pacer every call in flight is running');
      assert.equal(limiter.stat().shedInFlight, 2);
    });

    it('should be told by limiterAdmission how many calls its pacer holds', () => {
      let scheduled: (() => void)[] = [];
      const iterate = (): void => {
        const run = scheduled;
        scheduled = [];
        for (const fn of run) fn();
      };
      const pacer = new Pacer({ clock: () => 0, schedule: (fn) => void scheduled.push(fn) });
      const limiter = new BbrLimiter({ cpu: () => 900, loopTurns: false, clock: () => 0 });
      const admission = limiterAdmission(limiter, { pacer });
      // Handlers that never end, so every call admitted stays in flight.
      const admitAndHold = (): boolean => {
        const done = admission.admit('/x');
        if (done !== undefined) admission.hold!(done, () => true, 1);
        return done !== undefined;
      };
      assert.deepEqual([admitAndHold(), admitAndHold(), admitAndHold(), admitAndHold()], [true, true, true, true], 'one running, then held calls: never two running');
      assert.deepEqual([pacer.held, limiter.stat().inFlight, limiter.stat().shedInFlight], [3, 4, 0]);
      // The pacer hands one over (two check phases after the first ran): two running, two held.
      iterate();
      iterate();
      assert.equal(pacer.held, 2);
      assert.equal(admitAndHold(), false, 'two running: above the estimate');
      assert.equal(limiter.stat().shedInFlight, 1);
    });
  });

  describe('a held call at its turn (stale)', () => {
    it('should be refused past 1.5 calls\' CPU once a later loop turn than its own refused an arrival (the overload goes on)', async () => {
      const { limiter, nextTurn, staleAfter } = pacedLimiter(6);
      assert.equal(await nextTurn(5, 18), undefined, 'a later turn refuses an arrival with 18 ms of work ahead');
      assert.equal(staleAfter(8), false, 'one call ahead of it (6 ms) and a bit: it runs');
      assert.equal(staleAfter(10), true, 'past 9 ms (1.5 calls of 6 ms): refused at its turn');
      assert.equal(limiter.stat().shedQueued, 2, 'the arrival and the held call');
    });

    it('should not count the refusals of its own turn: its burst\'s excess, refused with it', async () => {
      const { arrive, nextTurn, staleAfter } = pacedLimiter(6);
      assert.equal(arrive(18), undefined, 'the rest of its burst');
      assert.notEqual(await nextTurn(15, 0), undefined, 'a later turn that admits');
      assert.equal(staleAfter(19), false, 'no later turn refused anything: main\'s bound (twice the target, 20 ms)');
      assert.equal(staleAfter(21), true, 'past twice the target');
    });

    it('should add the slack to that bound: with bursty clients the loop waits between bursts, and a held call is the work that fills the wait', async () => {
      const { limiter, arrive, nextTurn, staleAfter } = pacedLimiter(6);
      assert.equal(arrive(18), undefined);
      assert.equal(await nextTurn(8, 18, 4), undefined, 'a later turn, after the loop waited 4 ms for I/O, refuses an arrival');
      assert.equal(limiter.stat().slack, 4);
      assert.equal(staleAfter(12), false, 'within 9 + 4 ms');
      assert.equal(staleAfter(14), true, 'past 9 + 4 ms, well within twice the target');
    });

    it('should keep twice the target for cheap calls (three do not fill it), whatever was refused', async () => {
      const { nextTurn, staleAfter } = pacedLimiter(1.3);
      assert.equal(await nextTurn(5, 12), undefined, 'a later turn refuses an arrival with 12 ms of work ahead');
      assert.equal(staleAfter(19), false, 'an async handler\'s held calls wait for the target, not for calls');
      assert.equal(staleAfter(21), true);
    });

    it('should, without loop turns, count a refusal made after the call was held', () => {
      let now = 100;
      const limiter = new BbrLimiter({ signals: () => SATURATED, loopTurns: false, clock: () => now });
      assert.notEqual(limiter.tryAllow({ cost: 6 }), undefined, 'the call then held');
      assert.equal(limiter.tryAllow({ cost: 6, ahead: 18, held: 1 }), undefined, 'refused at the same instant: not after it');
      now = 110;
      assert.equal(limiter.stale(10), false);
      assert.equal(limiter.tryAllow({ cost: 6, ahead: 18, held: 1 }), undefined, 'refused after it');
      assert.equal(limiter.stale(10), true);
    });
  });
});
