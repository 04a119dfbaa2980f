import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSelector, type Balancer, type Selector } from '../../../lib/selector/index.js';
import { fakeClock, makeNode, seededRandom, tally } from './fixtures.js';

const BALANCERS: Balancer[] = ['wrr', 'random', 'p2c'];

function make(balancer: Balancer, seed = 11): Selector {
  const clock = fakeClock();
  return createSelector(balancer, { clock: clock.now, random: seededRandom(seed) });
}

function picks(s: Selector, n: number, exclude?: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const { node, done } = s.select(undefined, exclude);
    out.push(node.address);
    done({});
  }
  return out;
}

describe('selector health', () => {
  for (const balancer of BALANCERS) {
    describe(`with ${balancer}`, () => {
      it('should stop picking a node marked down at once and pick it again once marked up', () => {
        const s = make(balancer);
        s.apply(['a', 'b', 'c'].map((a) => makeNode(a)));
        s.markDown('b');
        assert.equal(s.isDown('b'), true);
        assert.equal(picks(s, 300).includes('b'), false);
        s.markUp('b');
        assert.equal(picks(s, 300).includes('b'), true);
      });

      it('should still pick when every node is down (fail open)', () => {
        const s = make(balancer);
        s.apply(['a', 'b'].map((a) => makeNode(a)));
        s.markDown('a');
        s.markDown('b');
        assert.deepEqual(new Set(picks(s, 100)), new Set(['a', 'b']));
      });

      it('should avoid every address already tried, and fall back to them only when nothing else is left', () => {
        const s = make(balancer);
        s.apply(['a', 'b', 'c', 'd'].map((a) => makeNode(a)));
        assert.deepEqual(new Set(picks(s, 200, new Set(['a', 'b', 'c']))), new Set(['d']));
        s.markDown('d');
        // d is down and a, b, c were tried: an untried node, even a down one, beats a second try.
        assert.deepEqual(new Set(picks(s, 50, new Set(['a', 'b', 'c']))), new Set(['d']));
        assert.deepEqual(new Set(picks(s, 200, new Set(['a', 'b', 'c', 'd']))), new Set(['a', 'b', 'c']));
      });

      it('should forget a down mark when the node leaves the set', () => {
        const s = make(balancer);
        s.apply(['a', 'b'].map((a) => makeNode(a)));
        s.markDown('b');
        s.apply([makeNode('a')]);
        assert.equal(s.isDown('b'), false);
        s.markDown('zzz');
        assert.equal(s.isDown('zzz'), false, 'an unknown address is not recorded');
      });
    });
  }

  it('should keep wrr weights for the healthy nodes', () => {
    const s = make('wrr');
    s.apply([makeNode('a', { weight: 3 }), makeNode('b', { weight: 1 }), makeNode('c', { weight: 5 })]);
    s.markDown('c');
    assert.deepEqual(tally(picks(s, 400)), { a: 300, b: 100 });
  });

  it('should not order wrr ties by list position, so a retry does not walk a block of neighbours', () => {
    // Ten equal nodes, the first five died together; a call failed on node 0 and is retried.
    const nodes = Array.from({ length: 10 }, (_, i) => makeNode(`n${i}`));
    const firsts = new Map<string, number>();
    for (let trial = 0; trial < 200; trial++) {
      const s = createSelector('wrr');
      s.apply(nodes);
      const next = picks(s, 1, new Set(['n0']))[0] as string;
      firsts.set(next, (firsts.get(next) ?? 0) + 1);
    }
    // With first-index ties every retry would land on n1; spread over the nine others, none gets most.
    assert.ok(firsts.size >= 8, `retries went to ${[...firsts.keys()].join(',')}`);
    assert.ok((firsts.get('n1') ?? 0) < 60, `n1 took ${firsts.get('n1')} of 200 retries`);
  });
});
