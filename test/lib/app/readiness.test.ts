import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Get, Module, Service } from '../../../decorators/index.js';
import { createTestApp } from '../../../lib/testing/index.js';

describe('readiness and liveness (§13)', () => {
  it('should turn /readyz unready at the start of a graceful stop while /healthz stays live', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    @Service()
    class Slow {
      @Get('/slow') async slow() { entered(); await gate; return {}; }
      checkHealth() { return { status: 'up' as const, details: { pool: 3 } }; }
    }
    @Module({ services: [Slow] }) class M {}
    const t = await createTestApp(M, { stopTimeout: 5000, drainDelay: 300, config: { server: { http: { timeout: '5s' } } } });
    const ready = await fetch(`${t.httpUrl}/readyz`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json(), { status: 'up', checks: { Slow: { status: 'up', details: { pool: 3 } } } });
    // Keep-alive sockets would be closed by the drain; the probes below use fresh connections.
    const pending = fetch(`${t.httpUrl}/slow`);
    await inside;
    const stopping = t.close();
    await new Promise((r) => setTimeout(r, 50));
    const unready = await fetch(`${t.httpUrl}/readyz`);
    assert.equal(unready.status, 503);
    assert.equal(((await unready.json()) as { reason: string }).reason, 'NOT_READY');
    assert.equal((await fetch(`${t.httpUrl}/healthz`)).status, 200);
    release();
    assert.equal((await pending).status, 200);
    await stopping;
  });

  it('should report readiness as 503 NOT_READY naming a failing indicator, and liveness as up', async () => {
    @Service() class Db { healthName = 'db'; checkHealth() { throw new Error('connection refused'); } }
    @Module({ providers: [Db] }) class M {}
    const t = await createTestApp(M);
    try {
      const res = await fetch(`${t.httpUrl}/readyz`);
      assert.equal(res.status, 503);
      const body = (await res.json()) as { reason: string; metadata: Record<string, string> };
      assert.equal(body.reason, 'NOT_READY');
      assert.match(body.metadata['db'] ?? '', /connection refused/);
      assert.deepEqual(await (await fetch(`${t.httpUrl}/healthz`)).json(), { status: 'up' });
    } finally {
      await t.close();
    }
  });
});
