import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Router from '@koa/router';
import { FrameworkError } from '../../../lib/errors/index.js';
import { parsePathTemplate } from '../../../lib/proto/index.js';

function match(template: string, path: string, method = 'GET'): Record<string, string> | undefined {
  const t = parsePathTemplate(template);
  const router = new Router({ strict: true });
  router.register(t.routerPath, [method], () => undefined);
  const m = router.match(path, method);
  const layer = m.pathAndMethod[0];
  if (!m.route || layer === undefined) return undefined;
  return t.fields(layer.params(path, layer.captures(path), {}));
}

describe('parsePathTemplate', () => {
  describe('.routerPath and .fields', () => {
    it('should bind a plain variable', () => {
      assert.deepEqual(match('/helloworld/{name}', '/helloworld/kratos'), { name: 'kratos' });
      assert.equal(match('/helloworld/{name}', '/helloworld/a/b'), undefined);
    });

    it('should bind nested field paths in camelCase', () => {
      const t = parsePathTemplate('/v1/users/{user.user_id}/x');
      assert.deepEqual(t.variables, ['user.userId']);
      assert.deepEqual(match('/v1/users/{user.user_id}/x', '/v1/users/42/x'), { 'user.userId': '42' });
    });

    it('should match segment patterns segment by segment, never across /', () => {
      const tpl = '/v1/{name=shelves/*/books/*}';
      assert.deepEqual(match(tpl, '/v1/shelves/1/books/2'), { name: 'shelves/1/books/2' });
      assert.equal(match(tpl, '/v1/shelves/1/extra/books/2'), undefined);
      assert.equal(match(tpl, '/v1/shelves/1/books'), undefined);
    });

    it('should let ** take the rest of the path', () => {
      assert.deepEqual(match('/files/{path=**}', '/files/a/b/c.txt'), { path: 'a/b/c.txt' });
    });

    it('should match a :verb suffix literally', () => {
      assert.deepEqual(match('/v1/{name=shelves/*/books/*}:move', '/v1/shelves/1/books/2:move', 'MOVE'), { name: 'shelves/1/books/2' });
      assert.equal(match('/v1/books:update', '/v1/books:update', 'POST') !== undefined, true);
      assert.equal(match('/v1/books:update', '/v1/books', 'POST'), undefined);
    });
  });

  describe('.expand', () => {
    it('should percent-encode values and keep the slashes of a pattern', () => {
      const t = parsePathTemplate('/v1/{name=shelves/*/books/*}');
      assert.equal(t.expand(() => 'shelves/a b/books/2'), '/v1/shelves/a%20b/books/2');
      assert.equal(parsePathTemplate('/u/{id}').expand(() => 'a/b'), '/u/a%2Fb');
      assert.equal(parsePathTemplate('/files/{path=**}').expand(() => 'x/y/z'), '/files/x/y/z');
      assert.equal(parsePathTemplate('/v1/{name=shelves/*}:move').expand(() => 'shelves/1'), '/v1/shelves/1:move');
    });

    it('should refuse a value that does not fit its pattern, or none', () => {
      const t = parsePathTemplate('/v1/{name=shelves/*/books/*}');
      const coded = (e: unknown) => FrameworkError.isFrameworkError(e) && e.code === 'KRATOS_ERR_PROTO_BINDING' && e.message.includes('name');
      assert.throws(() => t.expand(() => 'shelves/1'), coded);
      assert.throws(() => t.expand(() => 'racks/1/books/2'), coded);
      assert.throws(() => t.expand(() => undefined), coded);
    });
  });

  it('should refuse malformed templates', () => {
    for (const bad of ['no-slash', '/a/{unclosed', '/a//b', '/a/{x=}']) {
      assert.throws(() => parsePathTemplate(bad), (e) => FrameworkError.isFrameworkError(e) && e.code === 'KRATOS_ERR_PROTO_BINDING', bad);
    }
  });
});
