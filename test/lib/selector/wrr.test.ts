import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSelector } from '../../../lib/selector/index.js';
import { makeNode, tally } from './fixtures.js';

// Ties start their scan at index 0, giving the textbook nginx sequences; real selectors break ties at random.
const firstOnTies = { random: () => 0 };

function picks(selector: ReturnType<typeof createSelector>, n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(selector.select().node.address);
  return out;
}

describe('wrr', () => {
  it('should be the default balancer and follow the nginx sequence for weights 5,1,1', () => {
    const s = createSelector('wrr', firstOnTies);
    s.apply([makeNode('a', { weight: 5 }), makeNode('b', { weight: 1 }), makeNode('c', { weight: 1 })]);
    assert.deepEqual(picks(s, 7), ['a', 'a', 'b', 'a', 'c', 'a', 'a']);
  });

  it('should give exact proportions over whole cycles', () => {
    const s = createSelector('wrr', firstOnTies);
    s.apply([makeNode('a', { weight: 5 }), makeNode('b', { weight: 1 }), makeNode('c', { weight: 1 })]);
    assert.deepEqual(tally(picks(s, 700)), { a: 500, b: 100, c: 100 });
  });

  it('should alternate between equal weights', () => {
    const s = createSelector('wrr', firstOnTies);
    s.apply([makeNode('a', { weight: 3 }), makeNode('b', { weight: 3 })]);
    assert.deepEqual(picks(s, 6), ['a', 'b', 'a', 'b', 'a', 'b']);
  });

  it('should use weight 100 when the node gives none', () => {
    const s = createSelector('wrr', firstOnTies);
    s.apply([makeNode('a'), makeNode('b', { weight: 200 }), makeNode('c', { weight: 100 })]);
    assert.deepEqual(tally(picks(s, 400)), { a: 100, b: 200, c: 100 });
  });

  it('should keep its place in the cycle when apply() brings the same addresses', () => {
    const s = createSelector('wrr', firstOnTies);
    const nodes = () => [makeNode('a', { weight: 5 }), makeNode('b', { weight: 1 }), makeNode('c', { weight: 1 })];
    s.apply(nodes());
    const first = picks(s, 3);
    s.apply(nodes());
    assert.deepEqual([...first, ...picks(s, 4)], ['a', 'a', 'b', 'a', 'c', 'a', 'a']);
  });

  it('should take a new weight for a kept address', () => {
    const s = createSelector('wrr', firstOnTies);
    s.apply([makeNode('a', { weight: 1 }), makeNode('b', { weight: 1 })]);
    s.apply([makeNode('a', { weight: 3 }), makeNode('b', { weight: 1 })]);
    assert.deepEqual(tally(picks(s, 400)), { a: 300, b: 100 });
  });

  it('should stop picking a removed node and forget its state', () => {
    const s = createSelector('wrr', firstOnTies);
    s.apply([makeNode('a'), makeNode('b'), makeNode('c')]);
    picks(s, 5);
    s.apply([makeNode('a'), makeNode('c')]);
    assert.deepEqual(s.nodes.map((n) => n.address), ['a', 'c']);
    assert.equal(picks(s, 100).includes('b'), false);
    assert.deepEqual(tally(picks(s, 100)), { a: 50, c: 50 });
  });

  it('should balance the filtered candidates by their own weights', () => {
    const s = createSelector('wrr', firstOnTies);
    s.apply([makeNode('a', { weight: 5 }), makeNode('b', { weight: 1 }), makeNode('c', { weight: 1 })]);
    const out: string[] = [];
    for (let i = 0; i < 600; i++) out.push(s.select([(nodes) => nodes.filter((n) => n.address !== 'b')]).node.address);
    assert.deepEqual(tally(out), { a: 500, c: 100 });
  });

  it('should count a node once when apply() lists its address twice', () => {
    const s = createSelector('wrr', firstOnTies);
    s.apply([makeNode('a'), makeNode('a', { weight: 900 }), makeNode('b')]);
    assert.equal(s.nodes.length, 2);
    assert.deepEqual(tally(picks(s, 100)), { a: 50, b: 50 });
  });
});
