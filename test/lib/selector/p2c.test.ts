import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KratosError } from '../../../lib/errors/index.js';
import { createSelector, type Selector } from '../../../lib/selector/index.js';
import { fakeClock, makeNode, seededRandom } from './fixtures.js';

interface Behaviour {
  latencyMs: number;
  err?: unknown;
}

/** Runs `calls` sequential calls; each takes its node's latency on the fake clock. Returns the picks with their times. */
function drive(s: Selector, clock: ReturnType<typeof fakeClock>, behaviour: Record<string, Behaviour>, calls: number): { address: string; at: number }[] {
  const out: { address: string; at: number }[] = [];
  for (let i = 0; i < calls; i++) {
    const { node, done } = s.select();
    out.push({ address: node.address, at: clock.now() });
    const b = behaviour[node.address] as Behaviour;
    clock.advance(b.latencyMs);
    done(b.err === undefined ? {} : { err: b.err });
  }
  return out;
}

function share(picks: { address: string }[], match: (address: string) => boolean): number {
  return picks.filter((p) => match(p.address)).length / picks.length;
}

describe('p2c', () => {
  it('should send most calls to the faster nodes once it has measured them', () => {
    const clock = fakeClock();
    const s = createSelector('p2c', { clock: clock.now, random: seededRandom(1) });
    s.apply([makeNode('fast1'), makeNode('slow1'), makeNode('fast2'), makeNode('slow2')]);
    const behaviour = { fast1: { latencyMs: 5 }, fast2: { latencyMs: 5 }, slow1: { latencyMs: 50 }, slow2: { latencyMs: 50 } };
    drive(s, clock, behaviour, 200);
    const fastShare = share(drive(s, clock, behaviour, 2000), (a) => a.startsWith('fast'));
    // Only the slow/slow pair (1 of 6) goes to a slow node, so about 5/6 is expected.
    assert.ok(fastShare > 0.7, `fast share ${fastShare}`);
  });

  it('should take traffic away from a node that fails with 503', () => {
    const clock = fakeClock();
    const s = createSelector('p2c', { clock: clock.now, random: seededRandom(2) });
    s.apply([makeNode('good'), makeNode('bad')]);
    const behaviour = { good: { latencyMs: 5 }, bad: { latencyMs: 5, err: new KratosError(503, 'UNAVAILABLE', 'down') } };
    drive(s, clock, behaviour, 200);
    const badShare = share(drive(s, clock, behaviour, 1000), (a) => a === 'bad');
    assert.ok(badShare < 0.05, `bad share ${badShare}`);
  });

  it('should keep sending calls to a node that answers with a business 4xx', () => {
    const clock = fakeClock();
    const s = createSelector('p2c', { clock: clock.now, random: seededRandom(3) });
    s.apply([makeNode('a'), makeNode('b')]);
    const behaviour = { a: { latencyMs: 5 }, b: { latencyMs: 5, err: new KratosError(404, 'USER_NOT_FOUND', 'no user') } };
    drive(s, clock, behaviour, 200);
    const bShare = share(drive(s, clock, behaviour, 2000), (a) => a === 'b');
    assert.ok(bShare > 0.3, `b share ${bShare}`);
  });

  it('should force one pick of a node that has not been picked for 3 s', () => {
    const clock = fakeClock();
    const s = createSelector('p2c', { clock: clock.now, random: seededRandom(4) });
    s.apply([makeNode('good'), makeNode('bad')]);
    const behaviour = { good: { latencyMs: 10 }, bad: { latencyMs: 10, err: new Error('connection refused') } };
    drive(s, clock, behaviour, 100);
    const badTimes = drive(s, clock, behaviour, 1000).filter((p) => p.address === 'bad').map((p) => p.at);
    assert.ok(badTimes.length >= 2, `bad picked ${badTimes.length} times in 10 s`);
    for (let i = 1; i < badTimes.length; i++) {
      const gap = (badTimes[i] as number) - (badTimes[i - 1] as number);
      assert.ok(gap > 3000 && gap <= 3030, `gap ${gap} ms`);
    }
  });

  it('should avoid a node with many calls in flight', () => {
    const clock = fakeClock();
    const s = createSelector('p2c', { clock: clock.now, random: seededRandom(5) });
    s.apply([makeNode('a'), makeNode('b')]);
    drive(s, clock, { a: { latencyMs: 5 }, b: { latencyMs: 5 } }, 100);
    // Hold calls open; every one raises the picked node's load, so the next goes to the other.
    const open = Array.from({ length: 20 }, () => s.select());
    const counts = { a: 0, b: 0 };
    for (const o of open) counts[o.node.address as 'a' | 'b']++;
    assert.ok(Math.abs(counts.a - counts.b) <= 2, `open calls ${JSON.stringify(counts)}`);
    for (const o of open) o.done({});
  });

  it('should pick the only node without comparing', () => {
    const s = createSelector('p2c', { random: seededRandom(6) });
    s.apply([makeNode('only')]);
    const { node, done } = s.select();
    assert.equal(node.address, 'only');
    done({});
  });
});
