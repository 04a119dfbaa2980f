import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { FrameworkError } from '../../../lib/errors/index.js';
import { workerCount } from '../../../lib/cluster/index.js';

describe('workerCount', () => {
  it('should read a count from a number or a numeric string, and none from nothing', () => {
    assert.equal(workerCount(3), 3);
    assert.equal(workerCount('2'), 2);
    assert.equal(workerCount(undefined), 0);
    assert.equal(workerCount(''), 0);
  });

  it("should give one worker per core for 'auto'", () => {
    assert.equal(workerCount('auto'), availableParallelism());
  });

  it('should refuse anything else, naming server.workers', () => {
    for (const bad of [-1, 1.5, 'two', true]) {
      assert.throws(() => workerCount(bad), (e: unknown) => FrameworkError.isFrameworkError(e) && e.code === 'KRATOS_ERR_CONFIG_INVALID' && e.message.includes('server.workers'));
    }
  });
});
