import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Get, Inject, Module, Rpc, Service } from '../../../decorators/index.js';
import { token } from '../../../lib/container/index.js';
import { createTestApp } from '../../../lib/testing/index.js';
import { createGrpcClient, type GrpcClient } from '../../../lib/transport/grpc/index.js';
import { HttpClient } from '../../../lib/transport/http/index.js';
import type { Context } from '../../../lib/transport/index.js';
import { repoPath } from '../../helpers/echo-service.js';

const echoProto = repoPath('test/fixtures/grpc/echo.proto');
const C_CLIENT = token<HttpClient>('C_CLIENT');
const B_CLIENT = token<GrpcClient>('B_CLIENT');
const mdOf = (ctx: Context) => JSON.stringify(ctx.metadata.toJSON());

describe('metadata along a chain of services (§5)', () => {
  it('should carry x-md-global-* end to end and x-md-local-* one hop, over HTTP and gRPC hops', async () => {
    // C: HTTP, reports the metadata it received.
    @Service() class CService { @Get('/c') c(_req: unknown, ctx: Context) { return { c: mdOf(ctx) }; } }
    @Module({ services: [CService] }) class CModule {}
    const c = await createTestApp(CModule);

    // B: gRPC, calls C over HTTP adding its own local entry.
    @Service({ proto: echoProto, name: 'echo.v1.Echo' })
    class BService {
      constructor(@Inject(C_CLIENT) private readonly toC: HttpClient) {}
      @Rpc() async say(_req: unknown, ctx: Context) {
        const fromC = await this.toC.invoke<{ c: string }>('GET', '/c', undefined, { metadata: { 'x-md-local-from-b': 'b' } });
        return { text: JSON.stringify({ b: mdOf(ctx), c: fromC.c }), n: 0 };
      }
      @Rpc() async *count() { yield {}; }
      @Rpc() async join() { return {}; }
      @Rpc() async *chat() { yield {}; }
    }
    @Module({ services: [BService], providers: [{ provide: C_CLIENT, useFactory: () => new HttpClient({ endpoint: c.httpUrl }) }] }) class BModule {}
    const b = await createTestApp(BModule, { http: false });

    // A: HTTP, calls B over gRPC.
    @Service()
    class AService {
      constructor(@Inject(B_CLIENT) private readonly toB: GrpcClient) {}
      @Get('/a') async a(_req: unknown, ctx: Context) {
        const r = (await (this.toB['say'] as (x: object) => Promise<{ text: string }>)({ text: '', n: 0 })).text;
        return { a: mdOf(ctx), ...(JSON.parse(r) as object) };
      }
    }
    @Module({ services: [AService], providers: [{ provide: B_CLIENT, useFactory: () => createGrpcClient({ proto: echoProto, name: 'echo.v1.Echo' }, { endpoint: b.grpcAddress }) }] }) class AModule {}
    const a = await createTestApp(AModule);
    try {
      const res = await fetch(`${a.httpUrl}/a`, { headers: { 'x-md-global-user': 'alice', 'x-md-local-hop': 'to-a', 'x-other': 'no' } });
      const seen = (await res.json()) as { a: string; b: string; c: string };
      assert.deepEqual(JSON.parse(seen.a), { 'x-md-global-user': ['alice'], 'x-md-local-hop': ['to-a'] });
      assert.deepEqual(JSON.parse(seen.b), { 'x-md-global-user': ['alice'] });
      assert.deepEqual(JSON.parse(seen.c), { 'x-md-global-user': ['alice'], 'x-md-local-from-b': ['b'] });
    } finally {
      (a.get(B_CLIENT) as GrpcClient).close();
      b.get(C_CLIENT).close();
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });
});
