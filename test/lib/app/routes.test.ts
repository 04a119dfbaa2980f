import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Container } from '../../../lib/container/inversify.js';
import { Get, Http, Inject, Middleware, Module, Post, Service, UseMiddleware } from '../../../decorators/index.js';
import { AppContainer } from '../../../lib/container/index.js';
import { Logger } from '../../../lib/log/index.js';
import { selector } from '../../../lib/middleware/selector/index.js';
import { type Handler, type Middleware as Mw } from '../../../lib/middleware/index.js';
import { createTestApp } from '../../../lib/testing/index.js';
import { currentContext, type Context } from '../../../lib/transport/index.js';
import { notFound } from '../../../lib/errors/index.js';

const TRACE = 'trace';

function tagging(name: string): Mw {
  return (next) => async (req, ctx) => {
    (req as { trail?: string[] }).trail?.push(name);
    return next(req, ctx);
  };
}

describe('HTTP services', () => {
  describe('middleware', () => {
    it('should run app, root module, imported module, class and method middleware in that order', async () => {
      @Middleware() class RootMw { handle(next: Handler): Handler { return tagging('root')(next); } }
      @Middleware() class ChildMw { handle(next: Handler): Handler { return tagging('child')(next); } }
      @UseMiddleware(tagging('class'))
      @Service()
      class Api {
        @UseMiddleware(tagging('method'))
        @Post('/trail')
        trail(req: { trail: string[] }) { return { trail: req.trail }; }
      }
      @Module({ services: [Api], middleware: [ChildMw] }) class ChildModule {}
      @Module({ imports: [ChildModule], middleware: [RootMw] }) class AppModule {}
      const t = await createTestApp(AppModule, { middleware: [tagging('app')] });
      try {
        const res = await fetch(`${t.httpUrl}/trail`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"trail":[]}' });
        assert.deepEqual(await res.json(), { trail: ['app', 'root', 'child', 'class', 'method'] });
      } finally {
        await t.close();
      }
    });

    it('should apply selector and @Middleware({ match }) only to matching operations', async () => {
      @Middleware({ match: '/admin/*' }) class AdminOnly { handle(next: Handler): Handler { return tagging('admin')(next); } }
      @Service()
      class Api {
        @Post('/admin/x') admin(req: { trail: string[] }) { return req.trail; }
        @Post('/public/x') pub(req: { trail: string[] }) { return req.trail; }
      }
      @Module({ services: [Api], middleware: [AdminOnly, selector(tagging('sel')).regex(/\/public\/.*/).build()] }) class AppModule {}
      const t = await createTestApp(AppModule);
      try {
        const post = async (p: string) =>
          (await fetch(`${t.httpUrl}${p}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"trail":[]}' })).json();
        assert.deepEqual(await post('/admin/x'), ['admin']);
        assert.deepEqual(await post('/public/x'), ['sel']);
      } finally {
        await t.close();
      }
    });

    it('should build @Middleware classes with injection and let a test override them by token', async () => {
      @Middleware() class Stamp {
        constructor(@Inject(TRACE) readonly value: string) {}
        handle(next: Handler): Handler {
          return async (req, ctx) => { ctx.replyHeader.set('x-stamp', this.value); return next(req, ctx); };
        }
      }
      @Service() class Api { @Get('/x') x() { return {}; } }
      @Module({ providers: [{ provide: TRACE, useValue: 'real' }], services: [Api], middleware: [Stamp] }) class AppModule {}
      const real = await createTestApp(AppModule);
      const fake = await createTestApp(AppModule, {
        overrides: [{ provide: Stamp, useValue: { handle: (next: Handler): Handler => async (req, ctx) => { ctx.replyHeader.set('x-stamp', 'fake'); return next(req, ctx); } } }],
      });
      try {
        assert.equal((await fetch(`${real.httpUrl}/x`)).headers.get('x-stamp'), 'real');
        assert.equal((await fetch(`${fake.httpUrl}/x`)).headers.get('x-stamp'), 'fake');
      } finally {
        await Promise.all([real.close(), fake.close()]);
      }
    });
  });

  describe('request binding', () => {
    it('should bind body, then query, then path parameters, later winning', async () => {
      @Http('/v1')
      @Service()
      class Api { @Post('/items/{id}') echo(req: unknown) { return req; } }
      @Module({ services: [Api] }) class AppModule {}
      const t = await createTestApp(AppModule);
      try {
        const res = await fetch(`${t.httpUrl}/v1/items/from-path?id=from-query&q=from-query&tags=a&tags=b`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ id: 'from-body', q: 'from-body', b: 'from-body' }),
        });
        assert.deepEqual(await res.json(), { id: 'from-path', q: 'from-query', b: 'from-body', tags: ['a', 'b'] });
      } finally {
        await t.close();
      }
    });
  });

  describe('context', () => {
    it('should hand the handler its context, also through currentContext()', async () => {
      @Service()
      class Api {
        @Get('/users/:id')
        async get(_req: unknown, ctx: Context) {
          await new Promise((r) => setImmediate(r));
          const same = currentContext() === ctx;
          ctx.replyHeader.set('x-reply', 'yes');
          return { kind: ctx.kind, operation: ctx.operation, same, ua: ctx.requestHeader.get('X-Custom'), deadline: typeof ctx.deadline };
        }
      }
      @Module({ services: [Api] }) class AppModule {}
      const t = await createTestApp(AppModule);
      try {
        const res = await fetch(`${t.httpUrl}/users/7`, { headers: { 'x-custom': 'c1' } });
        assert.equal(res.headers.get('x-reply'), 'yes');
        assert.deepEqual(await res.json(), { kind: 'http', operation: '/users/:id', same: true, ua: 'c1', deadline: 'number' });
      } finally {
        await t.close();
      }
    });
  });

  describe('timeout', () => {
    it('should answer 504 after server.http.timeout from config and abort the handler signal', async () => {
      let aborted = false;
      @Service()
      class Api {
        @Get('/slow')
        async slow(_req: unknown, ctx: Context) {
          await new Promise((r) => ctx.signal.addEventListener('abort', r));
          aborted = ctx.signal.aborted;
          return {};
        }
      }
      @Module({ services: [Api] }) class AppModule {}
      const t = await createTestApp(AppModule, { config: { server: { http: { timeout: '50ms' } } } });
      try {
        const res = await fetch(`${t.httpUrl}/slow`);
        assert.equal(res.status, 504);
        assert.equal(((await res.json()) as { reason: string }).reason, 'TIMEOUT');
        assert.equal(aborted, true);
      } finally {
        await t.close();
      }
    });
  });

  describe('errors', () => {
    it('should answer 404 and 405 with Kratos bodies, and a 500 without leaking, then keep serving', async () => {
      const lines: unknown[][] = [];
      class Capture extends Logger { log(...kv: unknown[]) { lines.push(kv); } }
      @Service()
      class Api {
        @Get('/users/{id}') get(req: { id: string }) { if (req.id === '0') throw notFound('USER_NOT_FOUND', 'no user 0').withMetadata({ id: '0' }); return { id: req.id }; }
        @Get('/boom') boom() { throw new TypeError('secret internals'); }
      }
      @Module({ services: [Api] }) class AppModule {}
      const t = await createTestApp(AppModule, { logger: new Capture() });
      try {
        let res = await fetch(`${t.httpUrl}/nope`);
        assert.equal(res.status, 404);
        assert.equal(((await res.json()) as { reason: string }).reason, 'NOT_FOUND');
        res = await fetch(`${t.httpUrl}/users/1`, { method: 'DELETE' });
        assert.equal(res.status, 405);
        assert.deepEqual(Object.keys((await res.json()) as object), ['code', 'reason', 'message', 'metadata']);
        res = await fetch(`${t.httpUrl}/users/0`);
        assert.deepEqual(await res.json(), { code: 404, reason: 'USER_NOT_FOUND', message: 'no user 0', metadata: { id: '0' } });
        res = await fetch(`${t.httpUrl}/boom`);
        assert.equal(res.status, 500);
        const body = await res.text();
        assert.doesNotMatch(body, /secret/);
        assert.equal(lines.filter((l) => JSON.stringify(l).includes('secret') || l.some((v) => v instanceof TypeError)).length, 1);
        res = await fetch(`${t.httpUrl}/users/1`);
        assert.deepEqual(await res.json(), { id: '1' });
      } finally {
        await t.close();
      }
    });
  });

  describe('graceful stop', () => {
    it('should let every request in flight complete', async () => {
      let entered = 0;
      @Service()
      class Api {
        @Get('/slow/{n}')
        async slow(req: { n: string }) {
          entered++;
          await new Promise((r) => setTimeout(r, 150));
          return { n: req.n };
        }
      }
      @Module({ services: [Api] }) class AppModule {}
      const t = await createTestApp(AppModule, { config: { server: { http: { timeout: '5s' } } } });
      const calls = [1, 2, 3, 4, 5].map((n) => fetch(`${t.httpUrl}/slow/${n}`).then(async (r) => [r.status, await r.json()]));
      while (entered < 5) await new Promise((r) => setTimeout(r, 5));
      await t.close();
      const results = await Promise.all(calls);
      assert.deepEqual(results, [1, 2, 3, 4, 5].map((n) => [200, { n: String(n) }]));
      await assert.rejects(fetch(`${t.httpUrl}/slow/6`));
    });
  });

  describe('the request path', () => {
    it('should do no container lookups and no metadata reflection per request', async () => {
      @Middleware() class Pass { handle(next: Handler): Handler { return next; } }
      @Service() class Repo { find(id: string) { return { id }; } }
      @UseMiddleware(Pass)
      @Service()
      class Api { constructor(readonly repo: Repo) {} @Get('/items/{id}') get(req: { id: string }) { return this.repo.find(req.id); } }
      @Module({ providers: [Repo], services: [Api], middleware: [Pass] }) class AppModule {}
      const t = await createTestApp(AppModule);
      const counts = { reflect: 0, container: 0 };
      const patched: [object, string, unknown][] = [];
      const spy = (obj: object, key: string, bucket: keyof typeof counts) => {
        const orig = (obj as Record<string, (...a: unknown[]) => unknown>)[key] as (...a: unknown[]) => unknown;
        patched.push([obj, key, orig]);
        (obj as Record<string, unknown>)[key] = function (this: unknown, ...a: unknown[]) { counts[bucket]++; return orig.apply(this, a); };
      };
      for (const k of ['getMetadata', 'getOwnMetadata', 'hasMetadata', 'getMetadataKeys']) spy(Reflect, k, 'reflect');
      for (const k of ['get', 'getAsync', 'getAll']) spy(Container.prototype, k, 'container');
      for (const k of ['get', 'resolve']) spy(AppContainer.prototype, k, 'container');
      try {
        for (let i = 0; i < 20; i++) assert.deepEqual(await (await fetch(`${t.httpUrl}/items/${i}`)).json(), { id: String(i) });
        await fetch(`${t.httpUrl}/nope`);
      } finally {
        for (const [obj, key, orig] of patched) (obj as Record<string, unknown>)[key] = orig;
        await t.close();
      }
      assert.deepEqual(counts, { reflect: 0, container: 0 });
    });
  });
});
