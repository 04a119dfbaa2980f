import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { credentials, Client, Metadata } from '@grpc/grpc-js';
import { Module, Rpc, Service } from '../../../decorators/index.js';
import { jwtServer } from '../../../lib/auth/index.js';
import { selector } from '../../../lib/middleware/selector/index.js';
import { createTestApp, type TestApp } from '../../../lib/testing/index.js';
import { healthRoot, reflectionRoot } from '../../../lib/transport/grpc/index.js';
import { repoPath } from '../../helpers/echo-service.js';
import { bytes, signToken } from '../auth/fixtures.js';

const proto = repoPath('test/fixtures/grpc/echo.proto');
const SECRET = 'admin-surfaces-secret-of-32-bytes!!';

@Service({ proto })
class Echo {
  @Rpc() async say(req: object) { return req; }
  @Rpc() async *count() { yield {}; }
  @Rpc() async join() { return {}; }
  @Rpc() async *chat() { yield {}; }
}
@Module({ services: [Echo] }) class M {}

const RReq = reflectionRoot('v1').lookupType('grpc.reflection.v1.ServerReflectionRequest');
const RRes = reflectionRoot('v1').lookupType('grpc.reflection.v1.ServerReflectionResponse');
const HReq = healthRoot().lookupType('grpc.health.v1.HealthCheckRequest');
const HRes = healthRoot().lookupType('grpc.health.v1.HealthCheckResponse');

function metadata(token?: string): Metadata {
  const md = new Metadata();
  if (token !== undefined) md.set('authorization', `Bearer ${token}`);
  return md;
}

async function listServices(client: Client, token?: string): Promise<string[]> {
  const call = client.makeBidiStreamRequest('/grpc.reflection.v1.ServerReflection/ServerReflectionInfo',
    (o: object) => Buffer.from(RReq.encode(RReq.fromObject(o)).finish()), (b: Buffer) => RRes.toObject(RRes.decode(b)) as { listServicesResponse?: { service: { name: string }[] } }, metadata(token));
  call.write({ listServices: '' });
  call.end();
  const names: string[] = [];
  for await (const a of call) names.push(...((a as { listServicesResponse?: { service: { name: string }[] } }).listServicesResponse?.service ?? []).map((s) => s.name));
  return names;
}

function healthCheck(client: Client): Promise<string> {
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest('/grpc.health.v1.Health/Check', (o: object) => Buffer.from(HReq.encode(HReq.fromObject(o)).finish()),
      (b: Buffer) => String(HRes.toObject(HRes.decode(b), { enums: String })['status']), {}, new Metadata(), {}, (err, v) => (err ? reject(err) : resolve(v as string)));
  });
}

describe('admin surfaces of an app with JWT required for everything but health', () => {
  let t: TestApp;
  let client: Client;
  let token: string;
  const operations: string[] = [];
  before(async () => {
    const auth = jwtServer({ key: SECRET, algorithms: ['HS256'] });
    const seen = (next: (req: unknown, ctx: { operation: string }) => Promise<unknown>) => (req: unknown, ctx: { operation: string }) => (operations.push(ctx.operation), next(req, ctx));
    t = await createTestApp(M, {
      middleware: [seen as never, selector(auth).match((op) => !op.startsWith('/grpc.health.') && op !== '/healthz' && op !== '/readyz').build()],
    });
    client = new Client(t.grpcAddress, credentials.createInsecure());
    token = await signToken({ sub: 'ops' }, 'HS256', bytes(SECRET));
  });
  after(async () => {
    client.close();
    await t.close();
  });

  it('should refuse /metrics without a token (401) and serve it with one', async () => {
    const anonymous = await fetch(`${t.httpUrl}/metrics`);
    assert.equal(anonymous.status, 401);
    const scraped = await fetch(`${t.httpUrl}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(scraped.status, 200);
    assert.match(await scraped.text(), /# TYPE /);
  });

  it('should refuse gRPC reflection without a token (UNAUTHENTICATED) and list the services with one', async () => {
    await assert.rejects(listServices(client), (err: { code?: number }) => err.code === 16);
    const names = await listServices(client, token);
    assert.ok(names.includes('echo.v1.Echo'), names.join(','));
  });

  it('should leave /healthz, /readyz and grpc.health.v1 open, and run them through the middleware under stable names', async () => {
    assert.equal((await fetch(`${t.httpUrl}/healthz`)).status, 200);
    assert.equal((await fetch(`${t.httpUrl}/readyz`)).status, 200);
    assert.equal(await healthCheck(client), 'SERVING');
    for (const op of ['/metrics', '/healthz', '/readyz', '/grpc.health.v1.Health/Check', '/grpc.reflection.v1.ServerReflection/ServerReflectionInfo']) {
      assert.ok(operations.includes(op), `${op} not seen by the middleware: ${[...new Set(operations)].join(', ')}`);
    }
  });
});

@Module({ services: [] }) class Empty {}

describe('server.http.maxConnections', () => {
  it('should reject a value that is not a positive integer, naming the key', async () => {
    await assert.rejects(createTestApp(Empty, { grpc: false, config: { server: { http: { maxConnections: 'many' } } } }), /server\.http\.maxConnections: expected a positive integer, got "many"/);
  });

  it('should cap the open connections of the app HTTP server', async () => {
    const t = await createTestApp(Empty, { grpc: false, config: { server: { http: { maxConnections: 1 } } } });
    const { connect } = await import('node:net');
    try {
      const first = connect(Number(new URL(t.httpUrl).port), '127.0.0.1');
      await new Promise((r) => first.once('connect', r));
      await new Promise((r) => setTimeout(r, 50));
      const second = connect(Number(new URL(t.httpUrl).port), '127.0.0.1');
      second.on('error', () => undefined);
      const closed = await Promise.race([new Promise((r) => second.once('close', () => r(true))), new Promise((r) => setTimeout(() => r(false), 2000))]);
      assert.equal(closed, true, 'the connection beyond the cap was closed');
      first.destroy();
    } finally {
      await t.close();
    }
  });
});
