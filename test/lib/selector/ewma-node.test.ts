import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KratosError } from '../../../lib/errors/index.js';
import { EwmaNode, isFailure } from '../../../lib/selector/ewma-node.js';
import { fakeClock, makeNode } from './fixtures.js';

describe('EwmaNode', () => {
  describe('.weight', () => {
    it('should rank an unmeasured node below a measured one', () => {
      const clock = fakeClock();
      const fresh = new EwmaNode(makeNode('a'), clock.now);
      const measured = new EwmaNode(makeNode('b'), clock.now);
      const done = measured.pick();
      clock.advance(50);
      done({});
      assert.ok(measured.weight(clock.now()) > fresh.weight(clock.now()));
    });

    it('should drop when most in-flight calls are older than the average latency', () => {
      const clockX = fakeClock(0);
      const clockY = fakeClock(0);
      const x = new EwmaNode(makeNode('x'), clockX.now);
      const y = new EwmaNode(makeNode('y'), clockY.now);
      for (const [node, clock] of [[x, clockX], [y, clockY]] as const) {
        const done = node.pick();
        clock.advance(5);
        done({});
      }
      // Same lag and in-flight count; only the age of x's open calls differs.
      for (let i = 0; i < 3; i++) x.pick();
      clockX.advance(100);
      clockY.advance(100);
      for (let i = 0; i < 3; i++) y.pick();
      assert.ok(x.weight(clockX.now()) < y.weight(clockY.now()));
    });

    it('should ignore a second done() of the same call', () => {
      const clock = fakeClock();
      const a = new EwmaNode(makeNode('a'), clock.now);
      const b = new EwmaNode(makeNode('b'), clock.now);
      for (const node of [a, b]) {
        const done = node.pick();
        clock.advance(5);
        done({});
        if (node === a) done({ err: new Error('late') });
      }
      assert.equal(a.weight(clock.now()), b.weight(clock.now()));
    });
  });
});

describe('isFailure', () => {
  it('should count transport errors, 499 and 5xx other than 501 as failures', () => {
    assert.equal(isFailure(new Error('ECONNRESET')), true);
    assert.equal(isFailure(new KratosError(503, 'X', '')), true);
    assert.equal(isFailure(new KratosError(504, 'X', '')), true);
    assert.equal(isFailure(new KratosError(500, 'X', '')), true);
    assert.equal(isFailure(new KratosError(499, 'X', '')), true);
    assert.equal(isFailure(new Error('wrapped', { cause: new KratosError(503, 'X', '') })), true);
  });

  it('should count success, 4xx and 501 as healthy answers', () => {
    assert.equal(isFailure(undefined), false);
    assert.equal(isFailure(new KratosError(404, 'X', '')), false);
    assert.equal(isFailure(new KratosError(429, 'X', '')), false);
    assert.equal(isFailure(new KratosError(501, 'X', '')), false);
  });
});
