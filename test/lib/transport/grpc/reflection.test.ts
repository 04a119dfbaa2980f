import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, credentials, Metadata } from '@grpc/grpc-js';
import { Module, Rpc, Service } from '../../../../decorators/index.js';
import { ProtoLoader } from '../../../../lib/proto/index.js';
import { createTestApp, type TestApp } from '../../../../lib/testing/index.js';
import { reflectionRoot } from '../../../../lib/transport/grpc/index.js';
import { repoPath } from '../../../helpers/echo-service.js';

const dir = repoPath('test/fixtures/reflection');
type Answer = { errorResponse?: { errorCode: number; errorMessage: string }; listServicesResponse?: { service: { name: string }[] } };

async function ask(t: TestApp, requests: object[]): Promise<Answer[]> {
  const Req = reflectionRoot('v1').lookupType('grpc.reflection.v1.ServerReflectionRequest');
  const Res = reflectionRoot('v1').lookupType('grpc.reflection.v1.ServerReflectionResponse');
  const c = new Client(t.grpcAddress, credentials.createInsecure());
  try {
    const call = c.makeBidiStreamRequest('/grpc.reflection.v1.ServerReflection/ServerReflectionInfo',
      (o: object) => Buffer.from(Req.encode(Req.fromObject(o)).finish()), (b: Buffer) => Res.toObject(Res.decode(b)) as Answer, new Metadata());
    for (const r of requests) call.write(r);
    call.end();
    const out: Answer[] = [];
    for await (const a of call) out.push(a as Answer);
    return out;
  } finally {
    c.close();
  }
}

@Service({ proto: `${dir}/dup/a.proto`, name: 'dup.DupA' })
class DupA {
  @Rpc() async ping(req: object) { return req; }
}
@Service({ proto: `${dir}/dup/b.proto`, name: 'dup.DupB' })
class DupB {
  @Rpc() async ping(req: object) { return req; }
}
@Module({ services: [DupA, DupB] }) class DupModule {}

describe('server reflection given files it cannot describe together', () => {
  it('should answer INTERNAL naming the file, and keep serving reflection and calls', async () => {
    const t = await createTestApp(DupModule, { protoPaths: [dir] });
    try {
      const [symbol, list] = await ask(t, [{ fileContainingSymbol: 'dup.DupA' }, { listServices: '' }]);
      assert.equal(symbol?.errorResponse?.errorCode, 13);
      assert.match(symbol?.errorResponse?.errorMessage ?? '', /dup\/b\.proto: cannot be described .*duplicate name 'Same'/);
      assert.ok(list?.listServicesResponse?.service.some((s) => s.name === 'dup.DupB'), JSON.stringify(list));
      // The service itself is untouched.
      const Same = (await new ProtoLoader().load(`${dir}/dup/a.proto`)).lookupType('dup.Same');
      const c = new Client(t.grpcAddress, credentials.createInsecure());
      const reply = await new Promise<unknown>((resolve, reject) => c.makeUnaryRequest('/dup.DupA/Ping', (o: object) => Buffer.from(Same.encode(o).finish()),
        (b: Buffer) => Same.toObject(Same.decode(b)), { a: 'still' }, new Metadata(), {}, (err, v) => (err ? reject(err) : resolve(v))));
      c.close();
      assert.deepEqual(reply, { a: 'still' });
    } finally {
      await t.close();
    }
  });
});
