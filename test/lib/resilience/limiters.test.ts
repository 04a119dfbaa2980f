import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Metadata } from '../../../lib/call-metadata/index.js';
import { KratosError } from '../../../lib/errors/index.js';
import { BbrLimiter, bulkhead, rateLimit, TokenBucketLimiter } from '../../../lib/resilience/index.js';
import { MapHeader, type Context } from '../../../lib/transport/index.js';

const ctx: Context = {
  kind: 'http', side: 'server', operation: '/x', endpoint: '', requestHeader: new MapHeader(), replyHeader: new MapHeader(),
  signal: new AbortController().signal, deadline: undefined, metadata: new Metadata(),
};

/** Drives a BBR limiter with a fake clock: `arrivals` calls per 100 ms bucket, each taking `rt` ms. */
function simulate(bbr: BbrLimiter, clock: { now: number }, buckets: number, arrivals: number, rt: number): { rejected: number; peak: number } {
  const pending: { end: number; done: () => void }[] = [];
  let rejected = 0;
  let peak = 0;
  for (let b = 0; b < buckets; b++) {
    for (let i = 0; i < arrivals; i++) {
      clock.now += 100 / arrivals;
      for (const p of pending.filter((x) => x.end <= clock.now)) {
        p.done();
        pending.splice(pending.indexOf(p), 1);
      }
      try {
        pending.push({ end: clock.now + rt, done: bbr.allow() });
      } catch (e) {
        assert.equal((e as KratosError).code, 429);
        rejected++;
      }
      peak = Math.max(peak, bbr.stat().inFlight);
    }
  }
  return { rejected, peak };
}

describe('BbrLimiter', () => {
  it('should never shed below the CPU threshold', () => {
    const clock = { now: 0 };
    const bbr = new BbrLimiter({ cpu: () => 500, clock: () => clock.now });
    assert.equal(simulate(bbr, clock, 100, 50, 40).rejected, 0);
  });

  it('should compute maxInFlight = floor(maxPass * minRT * bucketsPerSecond / 1000 + 0.5)', () => {
    const clock = { now: 0 };
    const bbr = new BbrLimiter({ cpu: () => 0, clock: () => clock.now });
    simulate(bbr, clock, 30, 20, 10);
    const s = bbr.stat();
    assert.ok(s.maxPass >= 19 && s.maxPass <= 21, `maxPass ${s.maxPass}`);
    assert.equal(s.minRt, 10);
    assert.equal(s.maxInFlight, Math.floor((s.maxPass * s.minRt * 10) / 1000 + 0.5));
  });

  it('should shed load past the threshold, keeping in-flight near maxPass * minRT', () => {
    const clock = { now: 0 };
    let cpu = 0;
    const bbr = new BbrLimiter({ cpu: () => cpu, clock: () => clock.now });
    simulate(bbr, clock, 50, 20, 20);
    const capacity = bbr.stat().maxInFlight;
    cpu = 900;
    const { rejected, peak } = simulate(bbr, clock, 50, 80, 20);
    assert.ok(rejected > 0, 'overload is shed');
    assert.ok(peak <= capacity + 2, `in flight ${peak} stays near ${capacity}`);
  });

  it('should keep shedding for a second after the CPU falls, then stop', () => {
    const clock = { now: 0 };
    let cpu = 0;
    const bbr = new BbrLimiter({ cpu: () => cpu, clock: () => clock.now });
    simulate(bbr, clock, 50, 10, 20);
    cpu = 900;
    simulate(bbr, clock, 5, 80, 50);
    cpu = 100;
    assert.ok(simulate(bbr, clock, 5, 80, 50).rejected > 0, 'within a second of shedding');
    clock.now += 2000;
    assert.equal(simulate(bbr, clock, 5, 5, 10).rejected, 0);
  });
});

describe('TokenBucketLimiter', () => {
  it('should allow the burst, then the rate', () => {
    let now = 0;
    const tb = new TokenBucketLimiter({ rate: 10, burst: 3, clock: () => now });
    for (let i = 0; i < 3; i++) tb.allow();
    assert.throws(() => tb.allow(), (e) => (e as KratosError).reason === 'RATELIMIT');
    now = 100;
    tb.allow();
    assert.throws(() => tb.allow());
  });
});

describe('rateLimit', () => {
  it('should answer 429 RATELIMIT for rejected calls and pass the rest', async () => {
    const mw = rateLimit({ limiter: new TokenBucketLimiter({ rate: 0.001, burst: 1 }) });
    assert.equal(await mw(async () => 'ok')({}, ctx), 'ok');
    const err = (await mw(async () => 'ok')({}, ctx).catch((e: unknown) => e)) as KratosError;
    assert.deepEqual([err.code, err.reason], [429, 'RATELIMIT']);
  });
});

describe('bulkhead', () => {
  it('should reject the call past the limit at once and free slots as calls end, streams included', async () => {
    const mw = bulkhead({ maxConcurrent: 2 });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = mw(async () => { await gate; return 'done'; });
    const a = slow({}, ctx);
    const b = slow({}, ctx);
    const err = (await slow({}, ctx).catch((e: unknown) => e)) as KratosError;
    assert.deepEqual([err.code, err.reason], [503, 'BULKHEAD']);
    release();
    await Promise.all([a, b]);
    const stream = (await mw(async () => (async function* () { yield 1; })())({}, ctx)) as AsyncIterable<number>;
    await mw(async () => 'x')({}, ctx);
    for await (const _ of stream) void _;
    assert.equal(await mw(async () => 'free')({}, ctx), 'free');
  });
});
