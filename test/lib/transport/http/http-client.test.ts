import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { KratosError, notFound } from '../../../../lib/errors/index.js';
import type { Middleware } from '../../../../lib/middleware/index.js';
import { HttpClient, HttpServer } from '../../../../lib/transport/http/index.js';
import { runWithContext, currentContext, type Context } from '../../../../lib/transport/index.js';
import { Metadata } from '../../../../lib/metadata/index.js';

describe('HttpClient', () => {
  const servers: HttpServer[] = [];
  const hits: string[] = [];
  before(async () => {
    for (const id of ['a', 'b']) {
      const s = new HttpServer({ addr: '127.0.0.1:0', timeout: 0 });
      s.route({ method: 'POST', path: '/echo/{id}', operation: '/echo', handler: async (req, ctx: Context) => {
        hits.push(id);
        ctx.replyHeader.set('x-server', id);
        return { ...(req as object), auth: ctx.requestHeader.get('authorization') ?? null };
      } });
      s.route({ method: 'GET', path: '/missing', operation: '/missing', handler: async () => { throw notFound('NOPE', 'not here').withMetadata({ k: 'v' }); } });
      s.route({ method: 'GET', path: '/slow', operation: '/slow', handler: async (_r, ctx: Context) => {
        await new Promise((r) => setTimeout(r, 300));
        return { deadline: ctx.deadline ?? null };
      } });
      await s.start();
      servers.push(s);
    }
  });
  after(() => Promise.all(servers.map((s) => s.stop())));

  const ep = (i: number) => `127.0.0.1:${servers[i]!.port}`;

  describe('.invoke', () => {
    it('should send JSON, run middleware, and fill reply headers', async () => {
      const addAuth: Middleware = (next) => async (req, ctx) => { ctx.requestHeader.set('authorization', 'Bearer t'); return next(req, ctx); };
      const c = new HttpClient({ endpoint: ep(0), middleware: [addAuth] });
      const reply = new Metadata();
      try {
        assert.deepEqual(await c.invoke('POST', '/echo/1', { x: 1 }, { replyHeader: reply }), { x: 1, id: '1', auth: 'Bearer t' });
        assert.equal(reply.get('x-server'), 'a');
      } finally {
        c.close();
      }
    });

    it('should restore a Kratos error from the error body', async () => {
      const c = new HttpClient({ endpoint: `http://${ep(0)}` });
      try {
        const err = await c.invoke('GET', '/missing').catch((e: unknown) => e);
        assert.ok(KratosError.isKratosError(err));
        assert.deepEqual(err.toJSON(), { code: 404, reason: 'NOPE', message: 'not here', metadata: { k: 'v' } });
      } finally {
        c.close();
      }
    });

    it('should time out with 504 and report a refused connection as 503', async () => {
      const c = new HttpClient({ endpoint: ep(0), timeout: 50 });
      const dead = new HttpClient({ endpoint: '127.0.0.1:1' });
      try {
        assert.equal(((await c.invoke('GET', '/slow').catch((e: unknown) => e)) as KratosError).code, 504);
        const refused = (await dead.invoke('GET', '/x').catch((e: unknown) => e)) as KratosError;
        assert.equal(refused.code, 503);
        assert.equal(refused.reason, 'UNAVAILABLE');
      } finally {
        c.close();
        dead.close();
      }
    });

    it('should spread calls over a direct:/// list', async () => {
      hits.length = 0;
      const c = new HttpClient({ endpoint: `direct:///${ep(0)},${ep(1)}` });
      try {
        for (let i = 0; i < 4; i++) await c.invoke('POST', '/echo/x', {});
        assert.deepEqual(hits, ['a', 'b', 'a', 'b']);
      } finally {
        c.close();
      }
    });

    it('should give an outgoing call at most the time left of the call being served', async () => {
      const c = new HttpClient({ endpoint: ep(0), timeout: 60_000 });
      const served = { deadline: Date.now() + 1000 } as Context;
      try {
        const reply = await runWithContext(served, () => c.invoke<{ deadline: number | null }>('GET', '/slow'));
        void reply;
        assert.equal(currentContext(), undefined);
      } finally {
        c.close();
      }
      const short = new HttpClient({ endpoint: ep(0), timeout: 60_000 });
      try {
        const err = await runWithContext({ deadline: Date.now() + 100 } as Context, () => short.invoke('GET', '/slow')).catch((e: unknown) => e);
        assert.equal((err as KratosError).code, 504);
      } finally {
        short.close();
      }
    });
  });
});
