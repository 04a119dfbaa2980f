import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Delete, Get, Http, Inject, Middleware, Module, Optional, Patch, Post, Put, Rpc, Service, UseMiddleware } from '../../decorators/index.js';
import {
  readConstructorDeps,
  readInjectable,
  readMiddlewareOptions,
  readModule,
  readPropertyDeps,
  scanService,
} from '../../lib/annotations/index.js';
import type { Middleware as MiddlewareFn } from '../../lib/middleware/index.js';

const noop: MiddlewareFn = (next) => next;

describe('decorators', () => {
  describe('@Module', () => {
    it('should record its options and nothing else', () => {
      @Module({ providers: [], exports: [] }) class M {}
      assert.deepEqual(readModule(M), { providers: [], exports: [] });
    });
  });

  describe('@Service', () => {
    it('should mark the class injectable as a singleton unless told otherwise', () => {
      @Service() class A {}
      @Service({ scope: 'transient' }) class B {}
      assert.deepEqual(readInjectable(A), { scope: 'singleton' });
      assert.deepEqual(readInjectable(B), { scope: 'transient' });
    });

    it('should not construct the class', () => {
      let built = 0;
      @Service() class A { constructor() { built++; } }
      void A;
      assert.equal(built, 0);
    });
  });

  describe('@Http and the verb decorators', () => {
    it('should record routes with the class prefix joined once', () => {
      @Http('/v1/')
      @Service()
      class Api {
        @Get('/users/{id}') get() {}
        @Post('users') create() {}
        @Put('/users/:id') put() {}
        @Patch('/users/:id') patch() {}
        @Delete('/users/:id') del() {}
        @Http({ method: 'options', path: '/users' }) opts() {}
        @Get() root() {}
      }
      const d = scanService(Api);
      assert.deepEqual(
        d.routes.map((r) => `${r.method} ${r.path} ${String(r.propertyKey)}`),
        ['GET /v1/users/{id} get', 'POST /v1/users create', 'PUT /v1/users/:id put', 'PATCH /v1/users/:id patch',
          'DELETE /v1/users/:id del', 'OPTIONS /v1/users opts', 'GET /v1 root'],
      );
    });

    it('should give a subclass its parent routes without changing the parent', () => {
      @Service() class Base { @Get('/a') a() {} }
      @Service() class Child extends Base { @Get('/b') b() {} }
      assert.deepEqual(scanService(Base).routes.map((r) => r.path), ['/a']);
      assert.deepEqual(scanService(Child).routes.map((r) => r.path), ['/a', '/b']);
    });
  });

  describe('@Rpc', () => {
    it('should record the method and the explicit name when given', () => {
      @Service({ proto: 'a.proto', name: 'pkg.Svc' })
      class Svc { @Rpc() sayHello() {} @Rpc('Other') x() {} }
      const d = scanService(Svc);
      assert.deepEqual(d.options, { proto: 'a.proto', name: 'pkg.Svc' });
      assert.deepEqual(d.rpcs.map((r) => [r.name, r.propertyKey]), [[undefined, 'sayHello'], ['Other', 'x']]);
    });
  });

  describe('@Middleware and @UseMiddleware', () => {
    it('should record middleware options and per-class and per-method entries', () => {
      @Middleware({ match: '/pkg.Svc/*' }) class Audit { handle: MiddlewareFn = noop; }
      @UseMiddleware(Audit)
      @Service()
      class Svc { @UseMiddleware(noop) @Get('/x') x() {} @Get('/y') y() {} }
      assert.deepEqual(readMiddlewareOptions(Audit), { match: '/pkg.Svc/*' });
      assert.deepEqual(readInjectable(Audit), { scope: 'singleton' });
      const d = scanService(Svc);
      assert.deepEqual(d.middleware, [Audit]);
      assert.deepEqual(d.routes.map((r) => r.middleware), [[noop], []]);
    });
  });

  describe('@Inject and @Optional', () => {
    it('should record explicit tokens over emitted types, per parameter and property', () => {
      class Repo {}
      @Service()
      class Svc {
        @Inject('clock') @Optional() clock?: unknown;
        constructor(readonly repo: Repo, @Inject('name') readonly name: string, @Optional() readonly other?: Repo) {}
      }
      assert.deepEqual(
        readConstructorDeps(Svc).map((d) => [d.at, d.token, d.optional, d.source]),
        [[0, Repo, false, 'type'], [1, 'name', false, 'inject'], [2, Repo, true, 'type']],
      );
      assert.deepEqual(readPropertyDeps(Svc).map((d) => [d.at, d.token, d.optional]), [['clock', 'clock', true]]);
    });
  });
});
