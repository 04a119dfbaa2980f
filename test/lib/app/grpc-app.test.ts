import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { credentials, Client, Metadata } from '@grpc/grpc-js';
import { Module, Rpc, Service } from '../../../decorators/index.js';
import { createTestApp } from '../../../lib/testing/index.js';
import { healthRoot, reflectionRoot } from '../../../lib/transport/grpc/index.js';
import descriptor from 'protobufjs/ext/descriptor.js';
import { repoPath } from '../../helpers/echo-service.js';

const proto = repoPath('test/fixtures/grpc/echo.proto');
const Req = healthRoot().lookupType('grpc.health.v1.HealthCheckRequest');
const Res = healthRoot().lookupType('grpc.health.v1.HealthCheckResponse');

function check(client: Client, service = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest('/grpc.health.v1.Health/Check', (o: { service: string }) => Buffer.from(Req.encode(o).finish()),
      (b: Buffer) => String(Res.toObject(Res.decode(b), { enums: String })['status']), { service }, new Metadata(), {},
      (err, v) => (err ? reject(err) : resolve(v as string)));
  });
}

@Service({ proto })
class PlainEcho {
  @Rpc() async say(req: object) { return req; }
  @Rpc() async *count() { yield {}; }
  @Rpc() async join() { return {}; }
  @Rpc() async *chat() { yield {}; }
}
@Module({ services: [PlainEcho] }) class PlainModule {}

describe('the gRPC server of an app', () => {
  it('should report SERVING after start and NOT_SERVING as soon as a graceful stop begins', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let entered!: () => void;
    const inside = new Promise<void>((r) => (entered = r));
    @Service({ proto })
    class Echo {
      @Rpc() async say(req: object) { entered(); await gate; return req; }
      @Rpc() async *count() { yield {}; }
      @Rpc() async join() { return {}; }
      @Rpc() async *chat() { yield {}; }
    }
    @Module({ services: [Echo] }) class M {}
    const t = await createTestApp(M, { http: false, stopTimeout: 5000, grpc: { timeout: 0 } });
    const health = new Client(t.grpcAddress, credentials.createInsecure());
    const echo = new Client(t.grpcAddress, credentials.createInsecure());
    try {
      assert.equal(await check(health), 'SERVING');
      assert.equal(await check(health, 'echo.v1.Echo'), 'SERVING');
      const pending = new Promise((resolve, reject) => echo.makeUnaryRequest('/echo.v1.Echo/Say', (o: Buffer) => o, (b: Buffer) => b, Buffer.alloc(0), new Metadata(), {}, (e, v) => (e ? reject(e) : resolve(v))));
      await inside;
      const stopping = t.close();
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(t.app.health?.get(''), 'NOT_SERVING');
      assert.equal(t.app.health?.get('echo.v1.Echo'), 'NOT_SERVING');
      release();
      await pending;
      await stopping;
    } finally {
      health.close();
      echo.close();
    }
  });

  it('should refuse messages over maxReceiveMessageLength', async () => {
    const t = await createTestApp(PlainModule, { http: false, grpc: { maxReceiveMessageLength: 64 } });
    const c = new Client(t.grpcAddress, credentials.createInsecure());
    try {
      const big = Buffer.concat([Buffer.from([0x0a, 0x80, 0x01]), Buffer.alloc(128, 0x61)]);
      const err = await new Promise<{ code?: number }>((resolve) => c.makeUnaryRequest('/echo.v1.Echo/Say', (o: Buffer) => o, (b: Buffer) => b, big, new Metadata(), {}, (e) => resolve(e ?? {})));
      assert.equal(err.code, 8);
    } finally {
      c.close();
      await t.close();
    }
  });

  it('should describe its own health service through reflection', async () => {
    const t = await createTestApp(PlainModule, { http: false });
    const c = new Client(t.grpcAddress, credentials.createInsecure());
    const RReq = reflectionRoot('v1').lookupType('grpc.reflection.v1.ServerReflectionRequest');
    const RRes = reflectionRoot('v1').lookupType('grpc.reflection.v1.ServerReflectionResponse');
    try {
      const call = c.makeBidiStreamRequest('/grpc.reflection.v1.ServerReflection/ServerReflectionInfo',
        (o: object) => Buffer.from(RReq.encode(RReq.fromObject(o)).finish()), (b: Buffer) => RRes.toObject(RRes.decode(b)) as { fileDescriptorResponse?: { fileDescriptorProto: Uint8Array[] } });
      call.write({ fileContainingSymbol: 'grpc.health.v1.Health' });
      call.end();
      const answers: { fileDescriptorResponse?: { fileDescriptorProto: Uint8Array[] } }[] = [];
      for await (const a of call) answers.push(a as (typeof answers)[number]);
      const files = (answers[0]?.fileDescriptorResponse?.fileDescriptorProto ?? []).map((b) => descriptor.FileDescriptorProto.decode(b) as unknown as { package: string; service: { name: string }[] });
      assert.ok(files.some((f) => f.package === 'grpc.health.v1' && f.service.some((x) => x.name === 'Health')), JSON.stringify(files.map((f) => f.package)));
    } finally {
      c.close();
      await t.close();
    }
  });
});
