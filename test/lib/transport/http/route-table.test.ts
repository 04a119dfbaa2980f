import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Router from '@koa/router';
import { RouteTable, type MountedRoute } from '../../../../lib/transport/http/route-table.js';

const TEMPLATES = ['/helloworld/{name}', '/v1/:a/b/:c', '/x.y/{id}', '/a-b~c/:p0/:p1', '/files/*rest', '/v1/{name}\\:verb', '/opt{/:x}'];
const PATHS = [
  '/helloworld/x', '/helloworld/', '/helloworld', '/helloworld/x/', '/helloworld//', '/helloworld/x/y', '/helloworld/%2F', '/helloworld/%E2%82%AC',
  '/helloworld/%E2%82', '/Helloworld/x', '/v1/1/b/2', '/v1/1/b/', '/v1//b/2', '/x.y/1', '/xzy/1', '/a-b~c/1/2', '/a-b~c/1/2/', '//helloworld/x',
  '/helloworld/.', '/files/a/b%20c', '/files/', '/v1/n:verb', '/v1/n', '/opt', '/opt/1',
];

function route(method: string, path: string): MountedRoute {
  const handler = async (): Promise<undefined> => undefined;
  return { method, path, operation: `${method} ${path}`, handler, call: handler, decode: () => undefined, encode: () => undefined, encodeError: () => ({ contentType: '', bytes: Buffer.alloc(0) }) };
}

describe('RouteTable', () => {
  it('should match and decode parameters exactly as @koa/router does', () => {
    for (const template of TEMPLATES) {
      const router = new Router({ strict: true, sensitive: true });
      const koaPath = template.replace(/\{([A-Za-z_]\w*)\}/g, ':$1');
      router.register(koaPath, ['GET'], () => undefined);
      const table = new RouteTable();
      table.add(route('GET', template));
      for (const path of PATHS) {
        for (const method of ['GET', 'HEAD', 'POST']) {
          const m = router.match(path, method);
          const layer = m.pathAndMethod[0];
          const want = m.route && layer !== undefined ? layer.params(path, layer.captures(path), {}) : undefined;
          const got = table.lookup(method, path);
          assert.deepEqual(got?.params, want, `${method} ${path} against ${template}`);
          if (got === undefined) assert.deepEqual(table.allowed(path), m.path.length > 0 ? ['HEAD', 'GET'] : [], `${path} against ${template}`);
        }
      }
    }
  });

  it('should prefer the route added first when two match, and a literal path over a parameter', () => {
    const table = new RouteTable();
    table.add(route('GET', '/a/{id}'));
    table.add(route('GET', '/a/{x}/{y}'));
    table.add(route('GET', '/a/b'));
    table.add(route('POST', '/:any/b'));
    assert.equal(table.lookup('GET', '/a/b')?.route.operation, 'GET /a/b');
    assert.equal(table.lookup('GET', '/a/c')?.route.operation, 'GET /a/{id}');
    assert.equal(table.lookup('POST', '/a/b')?.route.operation, 'POST /:any/b');
    assert.deepEqual(table.allowed('/a/b'), ['HEAD', 'GET', 'POST']);
  });

  it('should name a parameter whose percent-encoding does not decode', () => {
    const table = new RouteTable();
    table.add(route('GET', '/u/{id}/{other}'));
    assert.deepEqual(table.lookup('GET', '/u/%E2%82/%41'), { route: table.lookup('GET', '/u/1/2')?.route, params: { id: '%E2%82', other: 'A' }, badParam: '%E2%82' });
  });
});
