import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Get, Module, Post, Rpc, Service } from '../../../decorators/index.js';
import { KratosError, toKratosError } from '../../../lib/errors/index.js';
import { Logger, type Level } from '../../../lib/log/index.js';
import type { Middleware } from '../../../lib/middleware/index.js';
import { createTestApp, type TestApp } from '../../../lib/testing/index.js';
import type { ErrorEncoder, ResponseEncoder } from '../../../lib/transport/http/index.js';
import * as grpc from '@grpc/grpc-js';
import { repoPath } from '../../helpers/echo-service.js';
import { deepProto, TREE_PROTO } from '../../helpers/hostile-corpus.js';

const proto = repoPath('test/fixtures/proto/library/v1/library.proto');
const protoPaths = [repoPath('test/fixtures/proto/include')];

class Capture extends Logger {
  readonly lines: { level: Level; fields: Record<string, unknown> }[] = [];
  log(level: Level, ...kv: unknown[]): void {
    const fields: Record<string, unknown> = {};
    for (let i = 0; i + 1 < kv.length; i += 2) fields[String(kv[i])] = kv[i + 1];
    this.lines.push({ level, fields });
  }
}

const called: string[] = [];

@Service()
class Items {
  @Post('/items/{id}') create(req: unknown) { called.push('create'); return req; }
  @Get('/thrown/{id}') thrown() { called.push('thrown'); throw new KratosError(400, 'CODEC', 'thrown by the handler'); }
}

@Service({ proto, name: 'library.v1.Library' })
class Library {
  @Rpc() async getBook(req: { name: string }) { return { name: req.name }; }
  @Rpc() async createBook(req: { book: unknown }) { return req.book; }
  @Rpc() async updateBook(req: { book: unknown }) { return req.book; }
  @Rpc() async deleteBook() { return {}; }
  @Rpc() async listBooks() { called.push('listBooks'); return { books: [{ name: 'b1' }] }; }
  @Rpc() async moveBook(req: { name: string }) { return { name: req.name }; }
  @Rpc() async readFile(req: { path: string }) { return { name: req.path }; }
  @Rpc() async *watch() { yield {}; }
  @Rpc() async upload() { return {}; }
  @Rpc() async *sync() { yield {}; }
}

@Module({ services: [Items, Library] }) class AppModule {}

describe('operations: one chain per operation, binding failures inside it', () => {
  let t: TestApp;
  const logger = new Capture();
  const observed: { operation: string; code: number; reason: string }[] = [];
  // A user middleware that records every failure it sees come out of next().
  const watch: Middleware = (next) => async (req, ctx) => {
    try {
      return await next(req, ctx);
    } catch (err) {
      const e = toKratosError(err);
      observed.push({ operation: ctx.operation, code: e.code, reason: e.reason });
      throw err;
    }
  };
  before(async () => {
    t = await createTestApp(AppModule, { logger, middleware: [watch], protoPaths });
  });
  after(() => t.close());

  const accessLine = (operation: string) => logger.lines.filter((l) => l.fields['kind'] === 'server' && l.fields['operation'] === operation).at(-1);
  const metric = async (operation: string) => {
    const text = await (await fetch(`${t.httpUrl}/metrics`)).text();
    return text.split('\n').filter((l) => l.startsWith('server_requests_code_total{') && l.includes(`operation="${operation}"`));
  };

  it('should let middleware, the access log and metrics see a bad body, path variable and query as a thrown error', async () => {
    const failures: [string, RequestInit, string][] = [
      ['/items/1', { method: 'POST', body: '{not json', headers: { 'content-type': 'application/json' } }, '/items/{id}'],
      ['/items/%E0%A4%A', { method: 'POST' }, '/items/{id}'],
      ['/v1/shelves/1/books?page.size=notanumber', { method: 'GET' }, '/library.v1.Library/ListBooks'],
    ];
    for (const [path, init, operation] of failures) {
      observed.length = 0;
      const res = await fetch(`${t.httpUrl}${path}`, init);
      assert.equal(res.status, 400, path);
      assert.equal(((await res.json()) as { reason: string }).reason, 'CODEC', path);
      assert.deepEqual(observed, [{ operation, code: 400, reason: 'CODEC' }], path);
      const line = accessLine(operation);
      assert.equal(line?.level, 'error', path);
      assert.equal(line?.fields['code'], 400);
      assert.equal(line?.fields['reason'], 'CODEC');
    }
    assert.deepEqual(called, [], 'no handler ran for a request that failed to bind');
    assert.deepEqual(await metric('/items/{id}'), ['server_requests_code_total{kind="http",operation="/items/{id}",code="400",reason="CODEC"} 2']);
    assert.deepEqual(await metric('/library.v1.Library/ListBooks'), ['server_requests_code_total{kind="http",operation="/library.v1.Library/ListBooks",code="400",reason="CODEC"} 1']);
  });

  it('should log a binding failure with the same fields as the same error thrown by a handler', async () => {
    observed.length = 0;
    await fetch(`${t.httpUrl}/thrown/1`);
    assert.deepEqual(observed, [{ operation: '/thrown/{id}', code: 400, reason: 'CODEC' }]);
    const thrown = accessLine('/thrown/{id}');
    const refused = accessLine('/items/{id}');
    assert.deepEqual(Object.keys(refused?.fields ?? {}), Object.keys(thrown?.fields ?? {}));
    assert.equal(refused?.level, thrown?.level);
    assert.deepEqual(await metric('/thrown/{id}'), ['server_requests_code_total{kind="http",operation="/thrown/{id}",code="400",reason="CODEC"} 1']);
  });
});

describe('an app with its own HTTP encoders', () => {
  let t: TestApp;
  const envelope: ResponseEncoder = (reply, { codec }, _ctx, type) => ({
    contentType: 'application/json',
    // A typed reply (a proto message) is read as proto JSON through its type first.
    bytes: Buffer.from(`{"code":0,"data":${codec.name === 'json' ? codec.marshal(reply ?? null, type).toString() : 'null'}}`),
  });
  const errors: ErrorEncoder = (e) => ({ status: e.code === 404 ? 404 : 200, contentType: 'application/json', bytes: Buffer.from(JSON.stringify({ code: e.code, reason: e.reason })) });
  before(async () => {
    t = await createTestApp(AppModule, { protoPaths, http: { responseEncoder: envelope, errorEncoder: errors } });
  });
  after(() => t.close());

  it('should use them for plain routes and proto routes alike, and for their binding failures', async () => {
    const plain = await fetch(`${t.httpUrl}/items/7`, { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } });
    assert.deepEqual(await plain.json(), { code: 0, data: { a: 1, id: '7' } });
    const book = await fetch(`${t.httpUrl}/v1/shelves/1/books/2`);
    assert.deepEqual(await book.json(), { code: 0, data: { name: 'shelves/1/books/2', title: '', pages: '0', published: null, tags: [], labels: {}, genre: 'GENRE_UNSPECIFIED' } });
    const refused = await fetch(`${t.httpUrl}/v1/shelves/1/books?page.size=x`);
    assert.equal(refused.status, 200);
    assert.deepEqual(await refused.json(), { code: 400, reason: 'CODEC' });
    const missing = await fetch(`${t.httpUrl}/nowhere`);
    assert.equal(missing.status, 404);
    assert.deepEqual(await missing.json(), { code: 404, reason: 'NOT_FOUND' });
  });
});

@Service({ proto: TREE_PROTO, name: 'hostile.v1.Tree' })
class Tree {
  @Rpc() async plant(req: { name: string }) { return { name: req.name }; }
  @Rpc() async find(req: { name: string }) { called.push('find'); return { name: req.name }; }
}
@Module({ services: [Tree] }) class TreeModule {}

describe('a gRPC or gRPC-Web request that cannot be deserialized', () => {
  let t: TestApp;
  const observed: { kind: string; operation: string; code: number }[] = [];
  const watch: Middleware = (next) => async (req, ctx) => {
    try {
      return await next(req, ctx);
    } catch (err) {
      observed.push({ kind: ctx.kind, operation: ctx.operation, code: toKratosError(err).code });
      throw err;
    }
  };
  before(async () => {
    called.length = 0;
    t = await createTestApp(TreeModule, { middleware: [watch] });
  });
  after(() => t.close());

  it('should fail inside the rpc chain, seen by middleware, the handler never called', async () => {
    const client = new grpc.Client(t.grpcAddress, grpc.credentials.createInsecure());
    const error = await new Promise<grpc.ServiceError | null>((resolve) => {
      client.makeUnaryRequest('/hostile.v1.Tree/Find', (b: Buffer) => b, (b: Buffer) => b, deepProto(1000), new grpc.Metadata(), (err) => resolve(err));
    });
    client.close();
    assert.equal(error?.code, grpc.status.INVALID_ARGUMENT, error?.details);
    // gRPC-Web: a frame whose message is not a Tree node.
    const garbage = Buffer.from([0xff, 0xff, 0xff]);
    const frame = Buffer.concat([Buffer.from([0, 0, 0, 0, garbage.length]), garbage]);
    const res = await fetch(`${t.httpUrl}/hostile.v1.Tree/Find`, { method: 'POST', body: frame, headers: { 'content-type': 'application/grpc-web+proto' } });
    assert.match(Buffer.from(await res.arrayBuffer()).toString('latin1'), /grpc-status:3/);
    assert.deepEqual(observed, [{ kind: 'grpc', operation: '/hostile.v1.Tree/Find', code: 400 }, { kind: 'grpc', operation: '/hostile.v1.Tree/Find', code: 400 }]);
    assert.deepEqual(called, []);
  });
});
