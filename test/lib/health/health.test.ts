import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Metadata } from '../../../lib/metadata/index.js';
import { KratosError } from '../../../lib/errors/index.js';
import { HealthRegistry, healthRoutes, metricsRoute, type HealthIndicator, type RawReply } from '../../../lib/health/index.js';
import { PrometheusMeter } from '../../../lib/metrics/index.js';
import { type Context } from '../../../lib/transport/index.js';

const ctx: Context = {
  kind: 'http', side: 'server', operation: '/readyz', endpoint: '', requestHeader: new Metadata(), replyHeader: new Metadata(),
  signal: new AbortController().signal, deadline: undefined, metadata: new Metadata(),
};

const up: HealthIndicator = { name: 'db', check: () => ({ status: 'up', details: { pool: 4 } }) };

describe('HealthRegistry', () => {
  describe('.live', () => {
    it('should be up whatever readiness is', () => {
      assert.deepEqual(new HealthRegistry().live(), { status: 'up' });
    });
  });

  describe('.ready', () => {
    it('should be down until the app marks itself ready, and down again when it stops', async () => {
      const r = new HealthRegistry().add(up);
      assert.equal((await r.ready()).status, 'down');
      r.setReady(true);
      assert.deepEqual(await r.ready(), { status: 'up', checks: { db: { status: 'up', details: { pool: 4 } } } });
      r.setReady(false);
      assert.equal((await r.ready()).status, 'down');
    });

    it('should be down when an indicator is down, throws, or is slow, each with its message', async () => {
      const r = new HealthRegistry({ ready: true, timeoutMs: 20 })
        .add(up)
        .add({ name: 'cache', check: async () => ({ status: 'down', details: { error: 'no leader' } }) })
        .add({ name: 'queue', check: () => { throw new Error('refused'); } })
        .add({ name: 'search', check: () => new Promise(() => undefined) });
      const report = await r.ready();
      assert.equal(report.status, 'down');
      assert.deepEqual(report.checks, {
        db: { status: 'up', details: { pool: 4 } },
        cache: { status: 'down', details: { error: 'no leader' } },
        queue: { status: 'down', details: { error: 'refused' } },
        search: { status: 'down', details: { error: 'timed out after 20 ms' } },
      });
    });

    it('should reject duplicate names and a bad timeout', () => {
      assert.throws(() => new HealthRegistry().add(up).add(up), /already registered/);
      assert.throws(() => new HealthRegistry({ timeoutMs: 0 }), /timeoutMs/);
    });
  });
});

describe('healthRoutes', () => {
  it('should answer /healthz and /readyz with the report when up', async () => {
    const r = new HealthRegistry({ ready: true }).add(up);
    const [live, ready] = healthRoutes(r);
    assert.deepEqual([live?.method, live?.path, live?.operation], ['GET', '/healthz', '/healthz']);
    assert.deepEqual(await live?.handler({}, ctx), { status: 'up' });
    assert.equal(ready?.path, '/readyz');
    assert.deepEqual(await ready?.handler({}, ctx), { status: 'up', checks: { db: { status: 'up', details: { pool: 4 } } } });
  });

  it('should fail /readyz with a Kratos 503 NOT_READY naming each failing check', async () => {
    const r = new HealthRegistry({ ready: true }).add(up).add({ name: 'cache', check: () => { throw new Error('refused'); } });
    const [, ready] = healthRoutes(r, { readyPath: '/ready', livePath: '/live' });
    assert.equal(ready?.path, '/ready');
    const err = await ready?.handler({}, ctx).catch((e: unknown) => e);
    assert.ok(KratosError.isKratosError(err));
    assert.deepEqual(err.toJSON(), { code: 503, reason: 'NOT_READY', message: 'health checks failed: cache', metadata: { cache: 'refused' } });
  });

  it('should say the service is not ready when only readiness is off', async () => {
    const [, ready] = healthRoutes(new HealthRegistry());
    const err = await ready?.handler({}, ctx).catch((e: unknown) => e);
    assert.deepEqual((err as KratosError).toJSON(), { code: 503, reason: 'NOT_READY', message: 'service is not ready', metadata: {} });
  });
});

describe('metricsRoute', () => {
  it('should be a raw GET route answering the text exposition with its content type', async () => {
    const meter = new PrometheusMeter();
    try {
      meter.counter('a_total', 'a', []).inc({});
      const route = metricsRoute(meter);
      assert.deepEqual([route.method, route.path, route.operation, route.raw], ['GET', '/metrics', '/metrics', true]);
      const reply = (await route.handler({}, ctx)) as RawReply;
      assert.equal(reply.contentType, 'text/plain; version=0.0.4; charset=utf-8');
      assert.match(String(reply.body), /^a_total 1$/m);
      assert.equal(metricsRoute(meter, '/m').path, '/m');
    } finally {
      meter.close();
    }
  });
});
