// The overload runs' oracle (test/soak/bare-reference.ts) must speak the same wire as the instance it
// stands beside: grpc-js (a maintained client, not ours) and h2load / wrk are served by it, and its
// cap refuses the excess with RESOURCE_EXHAUSTED / 429 rather than queueing it, unpaced and paced
// (PACE=1, HOPS=2: the cap then counts the held calls too, as the sweep's paced rows rely on).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Child, h2load, probe, sleep, wrk } from './load-tools.js';

const CAP = 2;

for (const [name, env] of [['unpaced', { PACE: '0' }], ['paced two hops apart', { PACE: '1', HOPS: '2' }]] as const) {
  describe(`bare node reference for the overload runs (${name})`, () => {
    it('should answer grpc-js and HTTP clients as the overload instance does, and refuse calls past its cap at once', async () => {
      const child = await Child.start('../../soak/bare-reference', { CAP: String(CAP), ...env });
      try {
        const grpc = await probe({ grpc: child.grpc, text: 'cpu' }, 20, sleep(300));
        const http = await probe({ http: child.http, path: '/async' }, 20, sleep(300));
        assert.ok(grpc.okMs.length >= 4 && grpc.failed === 0, `grpc-js: ${grpc.okMs.length} ok, ${grpc.failed} failed`);
        assert.ok(http.okMs.length >= 4 && http.failed === 0, `HTTP: ${http.okMs.length} ok, ${http.failed} failed`);
        const before = await child.counters();
        // 8 h2load clients at 800 calls/s, each call 11 ms: about 9 in flight on average against a cap
        // of 2, so refusals must happen while h2load runs, and the refusals are still well-formed
        // gRPC replies (trailers only), not resets h2load would count as errors.
        const g = await h2load(child.grpc, 'async', 1, 8, 800, 8);
        const mid = await child.counters();
        assert.ok(mid.shed - before.shed > 0, `h2load's calls past the cap refused: ${mid.shed - before.shed}`);
        assert.ok(mid.ok - before.ok > 0, 'calls within the cap served');
        assert.equal(g.errors, 0, 'a refusal is a gRPC status on a stream, not a failed or reset stream');
        const w = await wrk(`${child.http}/async`, 1, 16, 800);
        const after = await child.counters();
        assert.ok(w.errors > 0 && after.shed - mid.shed > 0, `wrk saw 429s: ${w.errors}, refused ${after.shed - mid.shed}`);
        // grpc-js reads the refusal as RESOURCE_EXHAUSTED (the probe counts code 8 as rejected).
        const crowded = await probe({ grpc: child.grpc, text: 'async' }, 400, sleep(300));
        assert.ok(crowded.rejected > 0 && crowded.failed === 0, `grpc-js: ${crowded.rejected} rejected, ${crowded.failed} failed`);
        assert.equal(after.failed, 0);
        // Driven far past the cap, the most in flight at once is the cap exactly: more would mean the cap
        // leaks (or, paced, that held calls escape it); less, that the load never reached it.
        assert.equal(Number(after.limiter?.['maxInFlight']), CAP, `most in flight at once: ${after.limiter?.['maxInFlight']}`);
      } finally {
        await child.stop();
      }
    });
  });
}
