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

describe('one handler error seen by independent clients (§4)', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(M);
  });
  after(() => t.close());

  it('should be 404 with reason and metadata over HTTP (curl)', async () => {
    const { stdout } = await run('curl', ['-s', '-i', `${t.httpUrl}/helloworld/error`]);
    const [head, body] = stdout.split(/\r?\n\r?\n/);
    assert.match(head ?? '', /^HTTP\/1\.1 404/);
    assert.match(head ?? '', /content-type: application\/json/i);
    assert.deepEqual(JSON.parse(body ?? ''), { code: 404, reason: 'USER_NOT_FOUND', message: 'x', metadata: { id: '1' } });
  });

  it('should be NOT_FOUND with ErrorInfo{reason, metadata} over gRPC (python3-grpcio)', async () => {
    const script = fileURLToPath(new URL('../../../test/interop/grpc_client.py', import.meta.url));
    const { stdout } = await run('/usr/bin/python3', [script, t.grpcAddress.split(':')[1] as string], { timeout: 20_000 });
    assert.deepEqual((JSON.parse(stdout) as { error: unknown }).error, { code: 'NOT_FOUND', details: 'x', reason: 'USER_NOT_FOUND', metadata: { id: '1' } });
  });
});
