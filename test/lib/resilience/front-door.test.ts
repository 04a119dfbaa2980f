import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KratosError } from '../../../lib/errors/index.js';
import { BbrLimiter, limiterAdmission, rateLimited, TokenBucketLimiter, type Limiter } from '../../../lib/resilience/index.js';
import { FakeClock } from './fixtures.js';

describe('limiterAdmission', () => {
  it('should refuse what the limiter rejects, with rateLimited() as the refusal, and count each refusal', () => {
    let refused = 0;
    const a = limiterAdmission(new TokenBucketLimiter({ rate: 1e-9, burst: 2 }), { onRefuse: () => refused++ });
    assert.deepEqual([a.refusal.code, a.refusal.reason, a.refusal.message], [rateLimited().code, rateLimited().reason, rateLimited().message]);
    assert.equal(typeof a.admit('/a'), 'function');
    assert.equal(typeof a.admit('/a'), 'function');
    assert.equal(a.admit('/a'), undefined);
    assert.equal(a.admit('/pkg.S/M'), undefined);
    assert.equal(refused, 2);
  });

  it('should never refuse nor count an exempt target: exact paths with or without a query, prefixes ending in /', () => {
    let asked = 0;
    const limiter: Limiter = { allow: () => (asked++, (() => { throw rateLimited(); })()) };
    const a = limiterAdmission(limiter, { exempt: ['/healthz', '/grpc.health.v1.Health/'] });
    for (const target of ['/healthz', '/healthz?full=1', '/grpc.health.v1.Health/Check', '/grpc.health.v1.Health/Watch']) assert.equal(typeof a.admit(target), 'function', target);
    assert.equal(asked, 0);
    for (const target of ['/healthzz', '/healthz/x', '/grpc.health.v1.Healthy/Check', '/']) assert.equal(a.admit(target), undefined, target);
    assert.equal(asked, 4);
  });

  it('should ask a limiter without tryAllow through allow(), taking its 429 as a refusal, and admit the call when it fails otherwise', () => {
    const done = (): void => undefined;
    assert.equal(limiterAdmission({ allow: () => done }).admit('/x'), done);
    assert.equal(limiterAdmission({ allow: () => { throw rateLimited(); } }).admit('/x'), undefined);
    const errors: unknown[] = [];
    const broken = limiterAdmission({ allow: () => { throw new KratosError(500, 'BROKEN', 'x'); } }, { onError: (e) => errors.push(e) });
    assert.equal(typeof broken.admit('/x'), 'function');
    assert.equal((errors[0] as KratosError).reason, 'BROKEN');
  });

  it('should reject a limiter without allow() and exempt entries that are not paths, with KRATOS_ERR_OPTIONS_INVALID', () => {
    assert.throws(() => limiterAdmission({} as Limiter), (e: unknown) => (e as { code?: string }).code === 'KRATOS_ERR_OPTIONS_INVALID');
    assert.throws(() => limiterAdmission(new TokenBucketLimiter({ rate: 1, burst: 1 }), { exempt: ['healthz'] }), /exempt/);
  });
});

describe('BbrLimiter.tryAllow', () => {
  it('should return undefined where allow() throws, and count the rejection in stat() the same way', () => {
    const clock = new FakeClock();
    clock.now = 1000;
    const bbr = new BbrLimiter({ signals: () => ({ cpu: 0, elu: 1, delay: 0 }), clock: clock.read, loopTurns: false });
    assert.equal(bbr.tryAllow({ arrivedAt: 900 }), undefined);
    assert.throws(() => bbr.allow({ arrivedAt: 900 }), (e: unknown) => KratosError.isKratosError(e) && e.code === 429);
    assert.equal(bbr.stat().shedQueued, 2);
    const done = bbr.tryAllow({ arrivedAt: 995 });
    assert.equal(typeof done, 'function');
    assert.equal(bbr.stat().inFlight, 1);
    done?.();
    assert.equal(bbr.stat().inFlight, 0);
  });
});
