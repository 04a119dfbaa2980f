import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chain, chainFor, type Handler, type Middleware } from '../../../lib/middleware/index.js';
import { selector } from '../../../lib/middleware/selector/index.js';
import { type Context } from '../../../lib/transport/index.js';
import { Metadata } from '../../../lib/metadata/index.js';

function ctxFor(operation: string): Context {
  return {
    kind: 'http', side: 'server', operation, endpoint: '', requestHeader: new Metadata(), replyHeader: new Metadata(),
    signal: new AbortController().signal, deadline: undefined, metadata: new Metadata(),
  };
}

function tag(name: string, log: string[]): Middleware {
  return (next) => async (req, ctx) => {
    log.push(`>${name}`);
    const r: unknown = await next(req, ctx);
    log.push(`<${name}`);
    return r;
  };
}

const echo: Handler = async (req) => req;

describe('chain', () => {
  it('should make the first middleware the outermost', async () => {
    const log: string[] = [];
    await chain(tag('a', log), tag('b', log), tag('c', log))(echo)(1, ctxFor('/x'));
    assert.deepEqual(log, ['>a', '>b', '>c', '<c', '<b', '<a']);
  });

  it('should pass the handler through untouched when empty', async () => {
    assert.equal(await chain()(echo)(7, ctxFor('/x')), 7);
  });
});

describe('selector', () => {
  async function applied(build: (s: ReturnType<typeof selector>) => Middleware, op: string): Promise<boolean> {
    const log: string[] = [];
    const m = build(selector(tag('sel', log)));
    await m(echo)(null, ctxFor(op));
    return log.length > 0;
  }

  describe('.path', () => {
    it('should match the exact operation only', async () => {
      assert.equal(await applied((s) => s.path('/pkg.Svc/Get').build(), '/pkg.Svc/Get'), true);
      assert.equal(await applied((s) => s.path('/pkg.Svc/Get').build(), '/pkg.Svc/GetAll'), false);
    });
  });

  describe('.prefix', () => {
    it('should match operations under the prefix, written with or without *', async () => {
      assert.equal(await applied((s) => s.prefix('/pkg.Svc/*').build(), '/pkg.Svc/Get'), true);
      assert.equal(await applied((s) => s.prefix('/pkg.Svc/').build(), '/pkg.Svc/Get'), true);
      assert.equal(await applied((s) => s.prefix('/pkg.Svc/').build(), '/pkg.Other/Get'), false);
    });
  });

  describe('.regex', () => {
    it('should require the whole operation to match', async () => {
      assert.equal(await applied((s) => s.regex(/\/pkg\.Svc\/(Get|List)/).build(), '/pkg.Svc/List'), true);
      assert.equal(await applied((s) => s.regex(/\/pkg\.Svc\/Get/).build(), '/pkg.Svc/GetAll'), false);
      assert.equal(await applied((s) => s.regex('Svc').build(), '/pkg.Svc/Get'), false);
    });
  });

  describe('.match', () => {
    it('should apply where the predicate is true', async () => {
      assert.equal(await applied((s) => s.match((op) => op.endsWith('/Delete')).build(), '/a.B/Delete'), true);
      assert.equal(await applied((s) => s.match((op) => op.endsWith('/Delete')).build(), '/a.B/Get'), false);
    });
  });

  describe('having several matchers', () => {
    it('should apply when any of them matches', async () => {
      const build = (s: ReturnType<typeof selector>) => s.path('/a.B/Get').prefix('/c.D/').build();
      assert.equal(await applied(build, '/c.D/Any'), true);
      assert.equal(await applied(build, '/a.B/Get'), true);
      assert.equal(await applied(build, '/a.B/Put'), false);
    });
  });
});

describe('chainFor', () => {
  it('should keep matching selector middleware and drop the rest at build time', async () => {
    const log: string[] = [];
    const onlyAdmin = selector(tag('admin', log)).prefix('/api.Admin/').build();
    const always = tag('always', log);
    const h = chainFor('/api.Public/Get', [always, onlyAdmin])(echo);
    await h(null, ctxFor('/api.Public/Get'));
    assert.deepEqual(log, ['>always', '<always']);
    log.length = 0;
    await chainFor('/api.Admin/Delete', [always, onlyAdmin])(echo)(null, ctxFor('/api.Admin/Delete'));
    assert.deepEqual(log, ['>always', '>admin', '<admin', '<always']);
  });
});
