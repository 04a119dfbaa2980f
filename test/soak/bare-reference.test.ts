// The overload runs' oracle (test/soak/bare-reference.ts) must speak the same wire as the instance it
// stands beside: grpc-js (a maintained client, not ours) and h2load / wrk are served by it, and its
// cap refuses the excess with RESOURCE_EXHAUSTED / 429 rather than queueing it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Child, h2load, probe, sleep, wrk } from './load-tools.js';

describe('bare node reference for the overload runs', () => {
  it('should answer grpc-js and HTTP clients as the overload instance does, and refuse calls past its cap at once', async () => {
    const child = await Child.start('../../soak/bare-reference', { CAP: '2' });
    try {
      const grpc = await probe({ grpc: child.grpc, text: 'cpu' }, 20, sleep(300));
      const http = await probe({ http: child.http, path: '/async' }, 20, sleep(300));
      assert.ok(grpc.okMs.length >= 4 && grpc.failed === 0, `grpc-js: ${grpc.okMs.length} ok, ${grpc.failed} failed`);
      assert.ok(http.okMs.length >= 4 && http.failed === 0, `HTTP: ${http.okMs.length} ok, ${http.failed} failed`);
      const before = await child.counters();
      // 8 connections sending together at 400 calls/s, 11 ms each: more than 2 in flight at once.
      const g = await h2load(child.grpc, 'async', 1, 8, 400, 8);
      const w = await wrk(`${child.http}/async`, 1, 16, 400);
      const after = await child.counters();
      // grpc-js reads the refusal as RESOURCE_EXHAUSTED (the probe counts code 8 as rejected), wrk sees non-2xx.
      const crowded = await probe({ grpc: child.grpc, text: 'async' }, 400, sleep(300));
      assert.ok(crowded.rejected > 0 && crowded.failed === 0, `grpc-js: ${crowded.rejected} rejected, ${crowded.failed} failed`);
      assert.ok(w.errors > 0, 'wrk saw 429s');
      assert.equal(g.errors, 0);
      assert.ok(after.shed - before.shed > 0, 'calls past the cap refused');
      assert.ok(after.ok - before.ok > 0, 'calls within the cap served');
      assert.equal(after.failed, 0);
      assert.ok(Number(after.limiter?.['maxInFlight']) <= 2, `at most the cap in flight: ${after.limiter?.['maxInFlight']}`);
    } finally {
      await child.stop();
    }
  });
});
