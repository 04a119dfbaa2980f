import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSelector } from '../../../lib/selector/index.js';
import { makeNode, seededRandom, tally } from './fixtures.js';

describe('random', () => {
  it('should pick every node about equally often', () => {
    const s = createSelector('random', { random: seededRandom(42) });
    s.apply([makeNode('a'), makeNode('b'), makeNode('c')]);
    const out: string[] = [];
    for (let i = 0; i < 3000; i++) out.push(s.select().node.address);
    const counts = tally(out);
    assert.deepEqual(Object.keys(counts).sort(), ['a', 'b', 'c']);
    for (const n of Object.values(counts)) assert.ok(n > 900 && n < 1100, `count ${n} is far from 1000`);
  });

  it('should ignore node weights', () => {
    const s = createSelector('random', { random: seededRandom(7) });
    s.apply([makeNode('a', { weight: 1000 }), makeNode('b', { weight: 1 })]);
    let a = 0;
    for (let i = 0; i < 2000; i++) if (s.select().node.address === 'a') a++;
    assert.ok(a > 900 && a < 1100, `a picked ${a} times`);
  });

  it('should stay in range when the random source returns 1', () => {
    const s = createSelector('random', { random: () => 1 });
    s.apply([makeNode('a'), makeNode('b')]);
    assert.equal(s.select().node.address, 'b');
  });
});
