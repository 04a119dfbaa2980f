import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module, Rpc, Service } from '../../../decorators/index.js';
import { FrameworkError, KratosError } from '../../../lib/errors/index.js';
import { builtinProtoPaths } from '../../../lib/proto/index.js';
import { createTestApp, type TestApp } from '../../../lib/testing/index.js';
import { createGrpcClient } from '../../../lib/transport/grpc/index.js';
import { repoPath } from '../../helpers/echo-service.js';

// go-kratos/examples validate and blog, reproduced as fixtures.
const example = repoPath('test/fixtures/kratos-examples/validate/api/example.proto');
const blog = repoPath('test/fixtures/kratos-examples/blog/api/blog/v1/blog.proto');
const good = { id: '7', age: 30, code: 2, score: 5, state: true, path: '/hello', phone: '13800138000', explain: 'abc', name: 'kratos', card: 'DEADbeef', info: { address: 'x' } };
const bad = { ...good, id: '0', age: 130, card: 'xyz-1', info: null };

@Service({ proto: example, name: 'api.example.ExampleService' })
class Example {
  @Rpc() async testValidate() { return { message: 'ok' }; }
  @Rpc() async testRules() { return { message: 'ok' }; }
}

@Service({ proto: blog, name: 'blog.api.v1.BlogService' })
class Blog {
  @Rpc() async createArticle(req: { title: string }) { return { Article: { id: '1', title: req.title } }; }
  @Rpc() async updateArticle(req: { id: string; title: string }) { return { Article: { id: req.id, title: req.title } }; }
  @Rpc() async deleteArticle() { return {}; }
  @Rpc() async getArticle(req: { id: string }) { return { Article: { id: req.id } }; }
  @Rpc() async listArticle() { return { results: [] }; }
}

@Module({ services: [Example, Blog] }) class M {}

describe('protoc-gen-validate rules on a served app', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(M, { grpc: { addr: '127.0.0.1:0' } });
  });
  after(() => t.close());

  const send = async (method: string, path: string, body: unknown) => {
    const res = await fetch(`${t.httpUrl}${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('should serve a valid request of the go-kratos validate example over HTTP', async () => {
    assert.deepEqual(await send('POST', '/v1/validate', good), { status: 200, body: { message: 'ok' } });
  });

  it('should answer 400 VALIDATOR listing every violation with its field over HTTP', async () => {
    const { status, body } = await send('POST', '/v1/validate', bad);
    assert.equal(status, 400);
    assert.equal(body['reason'], 'VALIDATOR');
    assert.deepEqual(Object.keys(body['metadata'] as object).sort(), ['age', 'card', 'id', 'info']);
    assert.match(String(body['message']), /card: value does not match regex pattern "\(\?i\)\^\[0-9a-f\]\+\$"/);
  });

  it('should enforce the blog example rules on a path-bound update', async () => {
    const { status, body } = await send('PUT', '/v1/article/0', { title: 'abc' });
    assert.equal(status, 400);
    assert.deepEqual(body['metadata'], { id: 'value must be greater than 0', title: 'value length must be at least 5 characters' });
    assert.equal((await send('PUT', '/v1/article/3', { title: 'kratos' })).status, 200);
    const c = createGrpcClient({ proto: blog, name: 'blog.api.v1.BlogService' }, { endpoint: t.grpcAddress });
    try {
      await assert.rejects(Promise.resolve(c['updateArticle']?.({ id: '0', title: 'abc' })), (err: unknown) =>
        KratosError.isKratosError(err) && err.reason === 'VALIDATOR' && err.metadata['id'] === 'value must be greater than 0' && err.metadata['title'] !== undefined);
      assert.deepEqual(await c['createArticle']?.({ title: 'kratos-ts' }), { Article: { id: '1', title: 'kratos-ts', content: '', like: '0' } });
    } finally {
      c.close();
    }
  });

  it('should fail the same call with InvalidArgument and the same fields over gRPC', async () => {
    const c = createGrpcClient({ proto: example, name: 'api.example.ExampleService' }, { endpoint: t.grpcAddress });
    try {
      assert.deepEqual(await c['testValidate']?.(good), { message: 'ok' });
      await assert.rejects(Promise.resolve(c['testValidate']?.(bad)), (err: unknown) => {
        assert.ok(KratosError.isKratosError(err));
        assert.equal(err.code, 400);
        assert.equal(err.reason, 'VALIDATOR');
        assert.deepEqual(Object.keys(err.metadata).sort(), ['age', 'card', 'id', 'info']);
        return true;
      });
    } finally {
      c.close();
    }
  });

  it('should be seen as INVALID_ARGUMENT by an independent python gRPC client built from protoc descriptors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pgv-'));
    const set = join(dir, 'example.pb');
    const includes = [repoPath('test/fixtures/kratos-examples/validate'), ...builtinProtoPaths().slice(0, 2)].flatMap((d) => ['-I', d]);
    execFileSync('protoc', [...includes, `--descriptor_set_out=${set}`, '--include_imports', example]);
    const port = t.grpcAddress.split(':')[1] as string;
    // Async: the server answers from this process' event loop.
    const call = async (req: unknown) => JSON.parse((await promisify(execFile)('/usr/bin/python3', [repoPath('test/interop/pgv_client.py'), port, set, '/api.example.ExampleService/TestValidate', 'api.example.Request', JSON.stringify(req)], { encoding: 'utf8' })).stdout) as { code: string; details: string };
    assert.equal((await call(good)).code, 'OK');
    const r = await call({ ...bad, id: '0', info: undefined });
    assert.equal(r.code, 'INVALID_ARGUMENT');
    assert.match(r.details, /id: value must be greater than 0/);
    assert.match(r.details, /info: value is required/);
  });
});

describe('validation rules that cannot be honoured', () => {
  for (const [file, what] of [
    ['wrong_type.proto', /wrong_type\.proto: bad\.v1\.Req\.age: string rules do not apply to a int32 value/],
    ['bad_re2.proto', /bad_re2\.proto: bad\.v1\.Req\.code: pattern "\^ab\(\?=cd\)" cannot be used: not valid RE2/],
    ['unique_messages.proto', /unique_messages\.proto: bad\.v1\.Req\.items: unique does not apply to repeated messages/],
    ['cel.proto', /cel\.proto: bad\.v1\.Req\.title: CEL rules cannot be honoured/],
    ['message_cel.proto', /message_cel\.proto: bad\.v1\.Req: message-level buf\.validate rules \(CEL\) cannot be honoured/],
    ['message_on_repeated.proto', /message_on_repeated\.proto: bad\.v1\.Req\.items: message rules do not apply to a repeated field \(use repeated\.items\.message\)/],
  ] as const) {
    it(`should fail boot with KRATOS_ERR_PROTO_RULE naming file, message and field (${file})`, async () => {
      @Service({ proto: repoPath(`test/fixtures/pgv-bad/${file}`), name: 'bad.v1.Bad' })
      class Bad { @Rpc() async do() { return {}; } }
      @Module({ services: [Bad] }) class B {}
      await assert.rejects(createTestApp(B), (err: unknown) => {
        assert.ok(FrameworkError.isFrameworkError(err));
        assert.equal((err as FrameworkError).code, 'KRATOS_ERR_PROTO_RULE');
        assert.match((err as Error).message, what);
        return true;
      });
    });
  }
});

describe('protoc-gen-validate rules on streamed requests', () => {
  const stream = repoPath('test/fixtures/validate/stream.proto');
  @Service({ proto: stream, name: 'stream.v1.Stream' })
  class Streams {
    @Rpc() async upload(msgs: AsyncIterable<{ seq: number }>) { let count = 0; for await (const _ of msgs) count++; return { count }; }
    @Rpc() async *echo(msgs: AsyncIterable<{ seq: number }>) { for await (const m of msgs) yield m; }
    @Rpc() async *watch(req: { seq: number }) { yield req; }
  }
  @Module({ services: [Streams] }) class S {}
  let t: TestApp;
  before(async () => {
    t = await createTestApp(S, { http: false, grpc: { addr: '127.0.0.1:0' } });
  });
  after(() => t.close());

  const isValidator = (field: string) => (err: unknown): boolean => KratosError.isKratosError(err) && err.reason === 'VALIDATOR' && err.metadata[field] === 'value must be greater than or equal to 0';

  it('should check every message of a client stream and fail the call on the first bad one', async () => {
    const c = createGrpcClient({ proto: stream, name: 'stream.v1.Stream' }, { endpoint: t.grpcAddress });
    try {
      assert.deepEqual(await c['upload']?.([{ seq: 1 }, { seq: 2 }]), { count: 2 });
      await assert.rejects(Promise.resolve(c['upload']?.([{ seq: 1 }, { seq: -1 }])), isValidator('seq'));
    } finally {
      c.close();
    }
  });

  it('should check bidi and server-streaming requests too', async () => {
    const c = createGrpcClient({ proto: stream, name: 'stream.v1.Stream' }, { endpoint: t.grpcAddress });
    const drain = async (it: unknown): Promise<unknown[]> => { const out: unknown[] = []; for await (const m of it as AsyncIterable<unknown>) out.push(m); return out; };
    try {
      await assert.rejects(drain(c['echo']?.([{ seq: 0 }, { seq: -5 }])), isValidator('seq'));
      await assert.rejects(drain(c['watch']?.({ seq: -1 })), isValidator('seq'));
      assert.deepEqual(await drain(c['watch']?.({ seq: 3 })), [{ seq: 3 }]);
    } finally {
      c.close();
    }
  });
});
