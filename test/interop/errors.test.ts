import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Module, Rpc, Service } from '../../decorators/index.js';
import { notFound } from '../../lib/errors/index.js';
import { createTestApp, type TestApp } from '../../lib/testing/index.js';
import { repoPath } from '../helpers/echo-service.js';

const run = promisify(execFile);
const proto = repoPath('samples/helloworld/api/helloworld/v1/greeter.proto');

@Service({ proto, name: 'helloworld.v1.Greeter' })
class Greeter {
  @Rpc() async sayHello(req: { name: string }) {
    if (req.name === 'error') throw notFound('USER_NOT_FOUND', 'x').withMetadata({ id: '1' });
    return { message: `Hello ${req.name}` };
  }
}
@Module({ services: [Greeter] }) class M {}

// The same handler written synchronously: under createApp's defaults its reply is answered in the
// call, with no promise (docs/performance.md "The tenth round"); independent clients must see no difference.
@Service({ proto, name: 'helloworld.v1.Greeter' })
class SyncGreeter {
  @Rpc() sayHello(req: { name: string }) {
    if (req.name === 'error') throw notFound('USER_NOT_FOUND', 'x').withMetadata({ id: '1' });
    return { message: `Hello ${req.name}` };
  }
}
@Module({ services: [SyncGreeter] }) class SyncM {}

for (const [handler, root] of [['async', M], ['synchronous', SyncM]] as const) {
  describe(`one ${handler} handler's reply and error seen by independent clients (§4)`, () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(root);
    });
    after(() => t.close());

    it('should be 200 with the reply, and 404 with reason and metadata, over HTTP (curl)', async () => {
      const ok = await run('curl', ['-s', '-i', `${t.httpUrl}/helloworld/curl`]);
      const [okHead, okBody] = ok.stdout.split(/\r?\n\r?\n/);
      assert.match(okHead ?? '', /^HTTP\/1\.1 200/);
      assert.deepEqual(JSON.parse(okBody ?? ''), { message: 'Hello curl' });
      const { stdout } = await run('curl', ['-s', '-i', `${t.httpUrl}/helloworld/error`]);
      const [head, body] = stdout.split(/\r?\n\r?\n/);
      assert.match(head ?? '', /^HTTP\/1\.1 404/);
      assert.match(head ?? '', /content-type: application\/json/i);
      assert.deepEqual(JSON.parse(body ?? ''), { code: 404, reason: 'USER_NOT_FOUND', message: 'x', metadata: { id: '1' } });
    });

    it('should be the reply, and NOT_FOUND with ErrorInfo{reason, metadata}, over gRPC (python3-grpcio)', async () => {
      const script = fileURLToPath(new URL('../../../test/interop/grpc_client.py', import.meta.url));
      const { stdout } = await run('/usr/bin/python3', [script, t.grpcAddress.split(':')[1] as string], { timeout: 20_000 });
      const out = JSON.parse(stdout) as { message: string; error: unknown };
      assert.equal(out.message, 'Hello py');
      assert.deepEqual(out.error, { code: 'NOT_FOUND', details: 'x', reason: 'USER_NOT_FOUND', metadata: { id: '1' } });
    });
  });
}
