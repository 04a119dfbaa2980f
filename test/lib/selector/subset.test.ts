import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FrameworkError } from '../../../lib/errors/index.js';
import { subset, type ServiceInstance } from '../../../lib/selector/index.js';
import { makeInstance } from './fixtures.js';

function instances(n: number, from = 0): ServiceInstance[] {
  return Array.from({ length: n }, (_, i) => makeInstance(`i${from + i}`, [`grpc://10.0.${Math.floor((from + i) / 250)}.${(from + i) % 250}:9000`]));
}

const ids = (list: ServiceInstance[]) => list.map((i) => i.id);

describe('subset', () => {
  it('should choose exactly size instances', () => {
    const chosen = subset(instances(100), 'client-1', 25);
    assert.equal(chosen.length, 25);
    assert.equal(new Set(ids(chosen)).size, 25);
  });

  it('should choose the same instances for the same key whatever the input order', () => {
    const all = instances(100);
    const a = ids(subset(all, 'client-1', 25));
    assert.deepEqual(ids(subset(all, 'client-1', 25)), a);
    assert.deepEqual(new Set(ids(subset([...all].reverse(), 'client-1', 25))), new Set(a));
  });

  it('should keep the input order', () => {
    const all = instances(100);
    const chosen = ids(subset(all, 'client-2', 25));
    assert.deepEqual(chosen, [...chosen].sort((x, y) => Number(x.slice(1)) - Number(y.slice(1))));
  });

  it('should change at most a couple of instances when one is added or removed', () => {
    const all = instances(100);
    for (const key of ['k1', 'k2', 'k3', 'k4', 'k5']) {
      const before = new Set(ids(subset(all, key, 25)));
      const added = ids(subset([...all, ...instances(1, 100)], key, 25));
      assert.ok(added.filter((id) => !before.has(id)).length <= 2, `key ${key} after add`);
      const removed = ids(subset(all.filter((i) => i.id !== [...before][0]), key, 25));
      assert.equal(removed.length, 25);
      assert.ok(removed.filter((id) => !before.has(id)).length <= 2, `key ${key} after remove`);
    }
  });

  it('should spread the instances over different keys', () => {
    const all = instances(100);
    const counts = new Map<string, number>();
    for (let k = 0; k < 50; k++) for (const id of ids(subset(all, `client-${k}`, 25))) counts.set(id, (counts.get(id) ?? 0) + 1);
    assert.equal(counts.size, 100);
  });

  it('should return all instances when size reaches their count or is 0', () => {
    const all = instances(10);
    assert.deepEqual(subset(all, 'k', 10), all);
    assert.deepEqual(subset(all, 'k', 50), all);
    assert.deepEqual(subset(all, 'k', 0), all);
  });

  it('should return an instance listed twice once', () => {
    const all = instances(30);
    const chosen = subset([...all, ...all], 'k', 5);
    assert.equal(chosen.length, 5);
  });

  it('should reject a negative or fractional size', () => {
    for (const size of [-1, 2.5, Number.NaN]) {
      assert.throws(() => subset(instances(3), 'k', size), (e) => FrameworkError.isFrameworkError(e) && e.code === 'KRATOS_ERR_OPTIONS_INVALID');
    }
  });
});
