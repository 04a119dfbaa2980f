import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { StaticNodes } from '../../../lib/transport/static-nodes.js';

const none = new Set<string>();

describe('StaticNodes (direct:/// lists)', () => {
  it('should go round robin in the order given', () => {
    const n = new StaticNodes(['a', 'b', 'c']);
    assert.deepEqual([1, 2, 3, 4].map(() => n.pick(none)), ['a', 'b', 'c', 'a']);
  });

  it('should skip addresses that are down or already tried, then fall back: untried, healthy, any', () => {
    const n = new StaticNodes(['a', 'b', 'c']);
    n.markDown('b', 'refused');
    assert.deepEqual([1, 2, 3, 4].map(() => n.pick(none)), ['a', 'c', 'a', 'c']);
    assert.equal(n.pick(new Set(['a'])), 'c');
    assert.equal(n.pick(new Set(['a', 'c'])), 'b', 'an untried down address beats a second try');
    assert.notEqual(n.pick(new Set(['a', 'b', 'c'])), 'b', 'all tried: a healthy one');
    n.markDown('a', 'refused');
    n.markDown('c', 'refused');
    assert.ok(['a', 'b', 'c'].includes(n.pick(none)), 'all down: still picks (fail open)');
    n.markUp('b');
    assert.equal(n.isDown('b'), false);
    assert.deepEqual([1, 2].map(() => n.pick(none)), ['b', 'b']);
  });

  it('should ignore marks for addresses outside the list', () => {
    const n = new StaticNodes(['a']);
    n.markDown('z', 'refused');
    assert.equal(n.isDown('z'), false);
  });
});
