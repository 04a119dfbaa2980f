import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { Module, Post, Rpc, Service } from '../../../decorators/index.js';
import { KratosError } from '../../../lib/errors/index.js';
import { createTestApp, type TestApp } from '../../../lib/testing/index.js';
import { createGrpcClient } from '../../../lib/transport/grpc/index.js';
import { repoPath } from '../../helpers/echo-service.js';

const proto = repoPath('test/fixtures/validate/users.proto');
const good = { name: 'kratos', email: 'k@example.com', id: '3f0e6a8e-4c59-4f2c-9a1e-2f5d8c7b6a10', age: 30, tags: ['a'], role: 'ROLE_ADMIN', address: { city: 'Oslo' } };

@Service({ proto, name: 'users.v1.Users' })
class Users {
  @Rpc() async create(req: { name: string }) { return { name: req.name }; }
}

@Service()
class Plain {
  @Post('/plain', { validate: z.object({ n: z.number().int().positive() }) })
  plain(req: { n: number }) { return { doubled: req.n * 2 }; }
}

@Module({ services: [Users, Plain] }) class M {}

describe('validation', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(M);
  });
  after(() => t.close());

  const post = async (path: string, body: unknown) => {
    const res = await fetch(`${t.httpUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  describe('from buf.validate rules in the .proto', () => {
    it('should pass a valid request', async () => {
      assert.deepEqual(await post('/v1/users', good), { status: 200, body: { name: 'kratos' } });
    });

    it('should answer 400 VALIDATOR listing every failing field', async () => {
      const { status, body } = await post('/v1/users', { name: 'K!', email: 'nope', id: 'x', age: 200, tags: ['a', 'a', 'b', 'c'], role: 7, address: { city: 'X' } });
      assert.equal(status, 400);
      assert.equal(body['reason'], 'VALIDATOR');
      const md = body['metadata'] as Record<string, string>;
      assert.deepEqual(Object.keys(md).sort(), ['address.city', 'age', 'email', 'id', 'name', 'role', 'tags']);
      assert.match(md['name'] ?? '', /at least 3 characters; value does not match regex/);
      assert.match(md['tags'] ?? '', /no more than 3 item\(s\); repeated value must contain unique items/);
      assert.equal(md['role'], 'value must be one of the defined enum values');
      assert.match(String(body['message']), /^invalid request: /);
    });

    it('should require a required message field', async () => {
      const { body } = await post('/v1/users', { ...good, address: undefined });
      assert.deepEqual(body['metadata'], { address: 'value is required' });
    });

    it('should validate gRPC calls the same way', async () => {
      const c = createGrpcClient({ proto, name: 'users.v1.Users' }, { endpoint: t.grpcAddress });
      try {
        const err = await (c['create'] as (r: object) => Promise<unknown>)({ ...good, age: -1 }).catch((e: unknown) => e);
        assert.ok(KratosError.isKratosError(err));
        assert.equal(err.code, 400);
        assert.equal(err.reason, 'VALIDATOR');
        assert.deepEqual(err.metadata, { age: 'value must be inside range [0, 150)' });
      } finally {
        c.close();
      }
    });
  });

  describe('from a Standard Schema on the route', () => {
    it('should check the bound request and hand the handler the parsed value', async () => {
      assert.deepEqual(await post('/plain', { n: 2 }), { status: 200, body: { doubled: 4 } });
      const bad = await post('/plain', { n: -1 });
      assert.equal(bad.status, 400);
      assert.equal(bad.body['reason'], 'VALIDATOR');
      assert.ok((bad.body['metadata'] as Record<string, string>)['n'] !== undefined);
    });
  });
});
