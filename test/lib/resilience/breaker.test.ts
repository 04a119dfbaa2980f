import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Metadata } from '../../../lib/call-metadata/index.js';
import { KratosError, notFound, serviceUnavailable } from '../../../lib/errors/index.js';
import { circuitBreaker, RollingWindow, SreBreaker } from '../../../lib/resilience/index.js';
import { MapHeader, type Context } from '../../../lib/transport/index.js';

const ctxFor = (operation: string): Context => ({
  kind: 'grpc', side: 'client', operation, endpoint: 'e', requestHeader: new MapHeader(), replyHeader: new MapHeader(),
  signal: new AbortController().signal, deadline: undefined, metadata: new Metadata(),
});

describe('RollingWindow', () => {
  it('should sum the buckets inside the window and forget older ones', () => {
    let now = 0;
    const w = new RollingWindow(1000, 10, () => now);
    w.add(1);
    now = 500;
    w.add(2);
    assert.deepEqual(w.totals(), { count: 2, sum: 3 });
    now = 1050;
    assert.deepEqual(w.totals(), { count: 1, sum: 2 });
    now = 5000;
    assert.deepEqual(w.totals(), { count: 0, sum: 0 });
  });
});

describe('SreBreaker', () => {
  const K = 1 / 0.6;

  it('should stay closed below 100 requests whatever fails', () => {
    const b = new SreBreaker({ clock: () => 0, random: () => 0 });
    for (let i = 0; i < 99; i++) b.markFailed();
    assert.equal(b.dropRatio(), 0);
    b.allow();
  });

  it('should drop with probability max(0, (total - K*accepts) / (total + 1)) under failures', () => {
    const b = new SreBreaker({ clock: () => 0, random: () => 0.999 });
    for (let i = 0; i < 150; i++) b.markFailed();
    for (let i = 0; i < 50; i++) b.markSuccess();
    const total = 200;
    const accepts = 50;
    assert.ok(Math.abs(b.dropRatio() - (total - K * accepts) / (total + 1)) < 1e-12);
    const open = new SreBreaker({ clock: () => 0, random: () => 0 });
    for (let i = 0; i < 200; i++) open.markFailed();
    assert.throws(() => open.allow(), (e) => KratosError.isKratosError(e) && e.code === 503 && e.reason === 'CIRCUITBREAKER');
  });

  it('should recover when the backend heals and the window moves on', () => {
    let now = 0;
    const b = new SreBreaker({ clock: () => now, random: () => 0 });
    for (let i = 0; i < 200; i++) b.markFailed();
    assert.ok(b.dropRatio() > 0.9);
    now = 1500;
    for (let i = 0; i < 400; i++) b.markSuccess();
    assert.equal(b.dropRatio(), 0, 'successes outweigh failures: total < K·accepts');
    now = 3500;
    assert.equal(b.dropRatio(), 0);
  });
});

describe('circuitBreaker', () => {
  it('should keep one breaker per operation, count 503 as failure and 404 as success, and fail fast when open', async () => {
    const mw = circuitBreaker({ breaker: () => new SreBreaker({ request: 10, clock: () => 0, random: () => 0 }) });
    let calls = 0;
    const failing = mw(async () => { calls++; throw serviceUnavailable('DOWN', 'down'); });
    for (let i = 0; i < 10; i++) await failing({}, ctxFor('/a.B/Down')).catch(() => undefined);
    const before = calls;
    const err = await failing({}, ctxFor('/a.B/Down')).catch((e: unknown) => e);
    assert.equal((err as KratosError).reason, 'CIRCUITBREAKER');
    assert.equal(calls, before, 'an open breaker does not call the backend');
    const notFoundCalls = mw(async () => { throw notFound('X', 'x'); });
    for (let i = 0; i < 20; i++) {
      const e = await notFoundCalls({}, ctxFor('/a.B/Get')).catch((x: unknown) => x);
      assert.equal((e as KratosError).code, 404);
    }
  });
});
