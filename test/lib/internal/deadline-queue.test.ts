import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DeadlineQueue, type Expirable } from '../../../lib/internal/index.js';

function entry(deadline: number, log: string[], name: string): Expirable {
  return { deadline, expire: () => void log.push(name), prev: undefined, next: undefined, queued: false };
}

describe('DeadlineQueue', () => {
  it('should expire entries in deadline order and skip removed ones', async () => {
    const q = new DeadlineQueue();
    const log: string[] = [];
    const now = Date.now();
    const a = entry(now + 10, log, 'a');
    const b = entry(now + 20, log, 'b');
    const c = entry(now + 30, log, 'c');
    q.add(a);
    q.add(b);
    q.add(c);
    q.remove(b);
    await new Promise((r) => setTimeout(r, 60));
    assert.deepEqual(log, ['a', 'c']);
    assert.equal(a.queued || c.queued, false);
  });

  it('should re-arm after emptying and refilling', async () => {
    const q = new DeadlineQueue();
    const log: string[] = [];
    const a = entry(Date.now() + 5, log, 'a');
    q.add(a);
    q.remove(a);
    q.add(entry(Date.now() + 5, log, 'b'));
    await new Promise((r) => setTimeout(r, 30));
    assert.deepEqual(log, ['b']);
  });

  it('should expire nothing after close', async () => {
    const q = new DeadlineQueue();
    const log: string[] = [];
    q.add(entry(Date.now() + 5, log, 'a'));
    q.close();
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(log, []);
  });
});
