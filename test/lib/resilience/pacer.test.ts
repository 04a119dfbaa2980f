import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BbrLimiter, limiterAdmission, NOT_RUN, Pacer, rateLimited, type CallArrival, type Limiter } from '../../../lib/resilience/index.js';

/** A loop by hand: `iterate()` runs one check phase (what was scheduled before it), `cpu` is the CPU clock. */
function fakeLoop(): { cpu: { now: number }; schedule: (fn: () => void) => void; iterate: () => number } {
  let next: (() => void)[] = [];
  return {
    cpu: { now: 0 },
    schedule: (fn) => void next.push(fn),
    iterate: () => {
      const run = next;
      next = [];
      for (const fn of run) fn();
      return run.length;
    },
  };
}

function pacerOn(loop: ReturnType<typeof fakeLoop>, slice?: number): Pacer {
  return new Pacer({ clock: () => loop.cpu.now, schedule: loop.schedule, ...(slice === undefined ? {} : { slice }) });
}

describe('Pacer', () => {
  it('should run a call at once when nothing is held, and hold the calls that arrive before the loop has polled again', () => {
    const loop = fakeLoop();
    const pacer = pacerOn(loop);
    const ran: string[] = [];
    const call = (name: string, cost: number) => () => (ran.push(name), (loop.cpu.now += cost), true);
    pacer.hold(call('a', 5));
    pacer.hold(call('b', 5));
    pacer.hold(call('c', 5));
    assert.deepEqual(ran, ['a']);
    assert.equal(pacer.held, 2);
    // The check phase of the iteration that ran `a` has no poll before it: nothing handed over yet.
    loop.iterate();
    assert.deepEqual(ran, ['a']);
    loop.iterate();
    assert.deepEqual(ran, ['a', 'b']);
    loop.iterate();
    assert.deepEqual(ran, ['a', 'b', 'c']);
    assert.equal(loop.iterate(), 1, 'one more check phase finds nothing held and stops');
    assert.equal(loop.iterate(), 0);
    pacer.hold(call('d', 5));
    assert.deepEqual(ran.at(-1), 'd', 'an idle pacer runs a call at once again');
    assert.deepEqual({ ...pacer.stat(), perCall: Math.round(pacer.stat().perCall) }, { held: 0, maxHeld: 2, run: 4, handedOver: 2, dropped: 0, perCall: 5, maxHeldMs: pacer.stat().maxHeldMs });
  });

  it('should say how much work is held ahead of a new call: held calls times their smoothed CPU cost', () => {
    const loop = fakeLoop();
    const pacer = pacerOn(loop);
    const dear = () => ((loop.cpu.now += 4), true);
    pacer.hold(dear);
    for (let i = 0; i < 3; i++) pacer.hold(dear);
    assert.equal(pacer.ahead(), 0, 'no cost measured before the first hand-over');
    loop.iterate();
    loop.iterate();
    // `a` (4 ms) measured at this hand-over; one handed over, two left.
    assert.equal(pacer.held, 2);
    assert.equal(pacer.ahead(), 8);
  });

  it('should wait as many check phases as a call asks for (a gRPC status) before handing over the next', () => {
    const loop = fakeLoop();
    const pacer = pacerOn(loop);
    const ran: number[] = [];
    for (let i = 0; i < 3; i++) pacer.hold(() => (ran.push(i), (loop.cpu.now += 5), true), 2);
    const phases: number[] = [];
    for (let p = 1, seen = ran.length; p <= 9 && ran.length < 3; p++) {
      loop.iterate();
      if (ran.length > seen) (phases.push(p), (seen = ran.length));
    }
    // Run at once, then 2 hops plus the phase with no poll before it, then 2 hops each.
    assert.deepEqual(phases, [3, 5]);
  });

  it('should hand several cheap calls over at once, as many as the slice holds at their cost', () => {
    const loop = fakeLoop();
    const pacer = pacerOn(loop, 1);
    let ran = 0;
    const cheap = () => (ran++, (loop.cpu.now += 0.125), true);
    for (let i = 0; i < 40; i++) pacer.hold(cheap);
    assert.equal(ran, 1);
    loop.iterate();
    loop.iterate();
    assert.equal(ran, 9, 'the first call cost 0.125 ms: 1 ms / 0.125 ms = 8 calls per hand-over');
    loop.iterate();
    assert.equal(ran, 17);
  });

  it('should drop a held call that says it did not run without waiting for it, and go on with the next', () => {
    const loop = fakeLoop();
    const pacer = pacerOn(loop);
    const ran: string[] = [];
    pacer.hold(() => (ran.push('a'), true));
    pacer.hold(() => false);
    pacer.hold(() => false);
    pacer.hold(() => (ran.push('d'), true));
    loop.iterate();
    loop.iterate();
    assert.deepEqual(ran, ['a', 'd']);
    assert.equal(pacer.stat().dropped, 2);
  });

  it('should keep pacing the other held calls when one throws, the error going on to the caller', () => {
    const loop = fakeLoop();
    const pacer = pacerOn(loop);
    const ran: string[] = [];
    pacer.hold(() => (ran.push('a'), true));
    pacer.hold(() => {
      throw new Error('handler bug');
    });
    pacer.hold(() => (ran.push('c'), true));
    loop.iterate();
    assert.throws(() => loop.iterate(), /handler bug/);
    loop.iterate();
    assert.deepEqual(ran, ['a', 'c']);
  });

  it('should reject a slice that is not a number >= 0 and a clock or schedule that is not a function', () => {
    const invalid = (e: unknown) => (e as { code?: string }).code === 'KRATOS_ERR_OPTIONS_INVALID';
    assert.throws(() => new Pacer({ slice: -1 }), invalid);
    assert.throws(() => new Pacer({ clock: 3 as unknown as () => number }), invalid);
    assert.throws(() => new Pacer({ schedule: 'soon' as unknown as (fn: () => void) => void }), invalid);
  });
});

describe('limiterAdmission with a pacer', () => {
  it('should tell the limiter the work held ahead of each call, and hold admitted calls but never exempt ones', () => {
    const loop = fakeLoop();
    const pacer = pacerOn(loop);
    const asked: (number | undefined)[] = [];
    const limiter: Limiter = { allow: () => (() => undefined), tryAllow: (call?: CallArrival) => (asked.push(call?.ahead), () => undefined) };
    const a = limiterAdmission(limiter, { pacer, exempt: ['/healthz'] });
    const ran: string[] = [];
    const run = (name: string) => () => (ran.push(name), (loop.cpu.now += 3), true);
    for (const name of ['x', 'y', 'z']) a.hold!(a.admit('/' + name)!, run(name), 1);
    loop.iterate();
    loop.iterate();
    a.hold!(a.admit('/w')!, run('w'), 1);
    a.hold!(a.admit('/healthz')!, run('healthz'), 1);
    assert.deepEqual(ran, ['x', 'y', 'healthz'], 'the health check ran at once, ahead of the held z and w');
    assert.deepEqual(asked, [0, 0, 0, 3], 'w found z held, 3 ms ahead of it');
  });

  it('should tell onHeld of each call it holds, and of its turn with how long it waited, never of calls run at once or exempt', () => {
    const loop = fakeLoop();
    const pacer = pacerOn(loop);
    const seen: string[] = [];
    const limiter: Limiter = { allow: () => (() => undefined), tryAllow: () => () => undefined };
    const a = limiterAdmission(limiter, { pacer, exempt: ['/healthz'], onHeld: { held: () => seen.push('held'), turn: (ms) => seen.push(`turn ${typeof ms === 'number' && ms >= 0}`) } });
    const run = (name: string) => () => (seen.push(name), (loop.cpu.now += 3), true);
    a.hold!(a.admit('/x')!, run('x'), 1);
    a.hold!(a.admit('/y')!, run('y'), 1);
    a.hold!(a.admit('/healthz')!, run('healthz'), 1);
    assert.deepEqual(seen, ['x', 'held', 'healthz'], 'x ran at once, y was held, the health check ran at once');
    loop.iterate();
    loop.iterate();
    assert.deepEqual(seen.slice(3), ['turn true', 'y']);
  });

  it('should have a saturated BbrLimiter refuse a call whose held work ahead exceeds its queue target', () => {
    const limiter = new BbrLimiter({ cpu: () => 900, loopTurns: false, queueTarget: 10, clock: () => 0 });
    const pacer = { ahead: () => 12, hold: () => undefined } as unknown as Pacer;
    const a = limiterAdmission(limiter, { pacer });
    assert.equal(a.admit('/x'), undefined);
    assert.equal(limiter.stat().shedQueued, 1);
    const short = limiterAdmission(limiter, { pacer: { ahead: () => 8, hold: () => undefined } as unknown as Pacer });
    assert.equal(typeof short.admit('/x'), 'function');
  });

  it('should find a held call stale past twice the queue target while saturated, and count it', () => {
    let cpu = 900;
    const limiter = new BbrLimiter({ cpu: () => cpu, loopTurns: false, queueTarget: 10, clock: () => 0 });
    assert.equal(limiter.stale(15), false);
    assert.equal(limiter.stale(25), true);
    assert.equal(limiter.stat().shedQueued, 1);
    cpu = 100;
    assert.equal(limiter.stale(500), false, 'not saturated: a held call runs however long it waited');
  });

  it('should bound a held call\'s wait at twice the target or three calls\' CPU, not twice a limit the calls\' CPU and the slack raised', () => {
    // A limiter that has seen 12 ms calls (minRT 12) and a pacer measuring their cost: 6 ms of CPU (a
    // CPU-bound handler, its limit min(minRT, two calls' CPU) = 12) or 1.3 ms (an async one: the target, 10).
    const heldLimit = (cost: number): { stale: (ms: number) => boolean; shed: () => number } => {
      let now = 0;
      const limiter = new BbrLimiter({ cpu: () => 900, loopTurns: false, queueTarget: 10, clock: () => now });
      for (let i = 0; i < 3; i++) {
        const done = limiter.tryAllow({ cost })!;
        now += 12;
        done();
      }
      now = 250;
      return { stale: (ms) => limiter.stale(ms), shed: () => limiter.stat().shedQueued };
    };
    const cpu = heldLimit(6);
    assert.equal(cpu.stale(19), false, 'within twice the target: the estimate of the work ahead may be short');
    assert.equal(cpu.stale(22), true, 'past twice the target and three calls of 6 ms, though within twice the limit (2 x 12)');
    assert.equal(cpu.shed(), 1);
    const async = heldLimit(1.3);
    assert.equal(async.stale(19), false);
    assert.equal(async.stale(21), true, 'an async handler (three calls of 1.3 ms do not fill the target) keeps twice its limit, as before');
    // Dear calls (8 ms, target lowered to 5): three calls' CPU, 24 ms, not twice the limit (2 x 16).
    let now = 0;
    const dear = new BbrLimiter({ cpu: () => 900, loopTurns: false, queueTarget: 5, clock: () => now });
    for (let i = 0; i < 3; i++) {
      const done = dear.tryAllow({ cost: 8 })!;
      now += 20;
      done();
    }
    now = 250;
    assert.equal(dear.stale(23), false, 'within three calls of 8 ms');
    assert.equal(dear.stale(25), true, 'past three calls, though within twice the limit (min(minRT 20, two calls) = 16)');
  });

  it('should count neither a pass nor a response time for a call that never ran, and count a handler\'s own 429 as a response', () => {
    const passes = (end: (done: (err?: unknown) => void) => void): number => {
      let now = 0;
      const limiter = new BbrLimiter({ cpu: () => 100, loopTurns: false, clock: () => now });
      now = 5;
      for (let i = 0; i < 5; i++) end(limiter.tryAllow()!);
      // The bucket those calls ended in is complete once the clock has passed it.
      now = 250;
      assert.equal(limiter.stat().inFlight, 0);
      return limiter.stat().maxPass;
    };
    assert.equal(passes((done) => done()), 5);
    assert.equal(passes((done) => done(rateLimited())), 5, 'a 429 the handler failed with is a response');
    assert.equal(passes((done) => done(NOT_RUN)), 1, 'never ran: no pass (maxPass starts at 1)');
  });

  it('should tell a custom limiter once that a held call it found stale never ran, and survive its throwing stale()', () => {
    const ends: unknown[] = [];
    const errors: unknown[] = [];
    let asked = 0;
    // Stale at the first call it is asked about (y), broken from then on (z).
    const limiter: Limiter = {
      allow: () => (err) => void ends.push(err),
      stale: () => {
        if (asked++ > 0) throw new Error('broken stale');
        return true;
      },
    };
    const scheduled: (() => void)[] = [];
    const pacer = new Pacer({ schedule: (fn) => void scheduled.push(fn), clock: () => 0 });
    const a = limiterAdmission(limiter, { pacer, onError: (e) => void errors.push(e) });
    const outcome: string[] = [];
    const start = (name: string) => (refuse: boolean): boolean => {
      outcome.push(`${name}:${refuse ? 'refused' : 'ran'}`);
      return !refuse;
    };
    a.hold!(a.admit('/x')!, start('x'), 1);
    a.hold!(a.admit('/y')!, start('y'), 1);
    a.hold!(a.admit('/z')!, start('z'), 1);
    // Held calls wait at least a millisecond of wall time before their turn.
    const until = performance.now() + 2;
    while (performance.now() < until);
    while (scheduled.length > 0) scheduled.shift()!();
    assert.deepEqual(outcome, ['x:ran', 'y:refused', 'z:ran']);
    assert.deepEqual(ends, [NOT_RUN], 'y was told once, by the admission; x and z owe their ends to the transport');
    assert.equal(errors.length, 1);
  });

  it('should be importable from kratos-ts/resilience', async () => {
    const entry = await import('../../../lib/entries/resilience.js');
    assert.equal(entry.Pacer, Pacer);
    assert.equal(entry.NOT_RUN, NOT_RUN);
  });

  it('should reject a pacer that is not one, with KRATOS_ERR_OPTIONS_INVALID', () => {
    assert.throws(() => limiterAdmission({ allow: () => () => undefined }, { pacer: {} as Pacer }), (e: unknown) => (e as { code?: string }).code === 'KRATOS_ERR_OPTIONS_INVALID');
  });
});
