import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FrameworkError, KratosError } from '../../../lib/errors/index.js';
import { createSelector, metadataFilter, versionFilter, type Balancer, type Node } from '../../../lib/selector/index.js';
import { fakeClock, makeNode, seededRandom } from './fixtures.js';

const BALANCERS: Balancer[] = ['wrr', 'random', 'p2c'];

function isNoAvailable(err: unknown): boolean {
  return KratosError.isKratosError(err) && err.code === 503 && err.reason === 'NO_AVAILABLE_NODE' && err.message === 'no available node';
}

function addresses(s: ReturnType<typeof createSelector>, filters: Parameters<ReturnType<typeof createSelector>['select']>[0], n = 50): Set<string> {
  const seen = new Set<string>();
  for (let i = 0; i < n; i++) {
    const { node, done } = s.select(filters);
    seen.add(node.address);
    done({});
  }
  return seen;
}

const NODES: Node[] = [
  makeNode('a', { version: 'v1', metadata: { zone: 'east', tier: 'gold' } }),
  makeNode('b', { version: 'v2', metadata: { zone: 'east' } }),
  makeNode('c', { version: 'v2', metadata: { zone: 'west', tier: 'gold' } }),
];

describe('createSelector', () => {
  it('should reject an unknown balancer or a non-function option', () => {
    assert.throws(() => createSelector('round-robin' as Balancer), (e) => FrameworkError.isFrameworkError(e) && e.code === 'KRATOS_ERR_OPTIONS_INVALID');
    assert.throws(() => createSelector('p2c', { clock: 5 as unknown as () => number }), (e) => FrameworkError.isFrameworkError(e) && e.code === 'KRATOS_ERR_OPTIONS_INVALID');
  });

  for (const balancer of BALANCERS) {
    describe(`having the ${balancer} balancer`, () => {
      // A still clock: every call takes 0 ms, so p2c sees equal nodes and spreads by its random draw.
      const make = () => createSelector(balancer, { random: seededRandom(9), clock: fakeClock().now });

      it('should throw 503 NO_AVAILABLE_NODE before any apply() and after an empty one', () => {
        const s = make();
        assert.throws(() => s.select(), isNoAvailable);
        s.apply([makeNode('a')]);
        s.apply([]);
        assert.throws(() => s.select(), isNoAvailable);
      });

      it('should keep only the nodes of the version versionFilter names', () => {
        const s = make();
        s.apply(NODES);
        assert.deepEqual([...addresses(s, [versionFilter('v2')])].sort(), ['b', 'c']);
      });

      it('should keep only the nodes holding every metadataFilter entry', () => {
        const s = make();
        s.apply(NODES);
        assert.deepEqual([...addresses(s, [metadataFilter({ zone: 'east', tier: 'gold' })])], ['a']);
        assert.deepEqual([...addresses(s, [metadataFilter({})])].sort(), ['a', 'b', 'c']);
      });

      it('should run custom filters in order, each over the previous result', () => {
        const s = make();
        s.apply(NODES);
        const calls: number[] = [];
        const dropA = (nodes: Node[]) => (calls.push(nodes.length), nodes.filter((n) => n.address !== 'a'));
        assert.deepEqual([...addresses(s, [versionFilter('v2'), dropA, metadataFilter({ zone: 'west' })], 10)], ['c']);
        assert.deepEqual(new Set(calls), new Set([2]));
      });

      it('should throw 503 NO_AVAILABLE_NODE when the filters leave nothing', () => {
        const s = make();
        s.apply(NODES);
        assert.throws(() => s.select([versionFilter('v9')]), isNoAvailable);
        // A node the selector never saw cannot be picked either.
        assert.throws(() => s.select([() => [makeNode('stranger')]]), isNoAvailable);
      });

      it('should not let a filter change the node set', () => {
        const s = make();
        s.apply(NODES);
        s.select([(nodes) => nodes.splice(0, 1)]);
        assert.deepEqual(s.nodes.map((n) => n.address), ['a', 'b', 'c']);
      });

      it('should accept done() after apply() removed the node, and a second done()', () => {
        const s = make();
        s.apply([makeNode('a')]);
        const { node, done } = s.select();
        s.apply([makeNode('b')]);
        assert.equal(node.address, 'a');
        assert.doesNotThrow(() => done({ err: new Error('reset') }));
        assert.doesNotThrow(() => done({}));
        assert.equal(s.select().node.address, 'b');
      });

      it('should hand out the node of the latest apply() for a kept address', () => {
        const s = make();
        s.apply([makeNode('a', { version: 'v1' })]);
        s.apply([makeNode('a', { version: 'v2' })]);
        assert.equal(s.select().node.version, 'v2');
      });
    });
  }
});
