import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createGrpcClient, errors, KratosError, Metadata } from 'kratos-ts';
import { createTestApp, type TestApp } from 'kratos-ts/testing';
import { isUserNotFound } from '../src/biz/errors.js';
import { AppModule } from '../src/server/app.module.js';

const run = promisify(execFile);
// Debian's interpreter: the one that sees python3-grpcio (a pyenv python on PATH may not).
const PYTHON = '/usr/bin/python3';
const proto = fileURLToPath(new URL('../api/helloworld/v1/greeter.proto', import.meta.url));
const script = fileURLToPath(new URL('../../../../test/interop/grpc_client.py', import.meta.url));

describe('helloworld.v1.Greeter', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(AppModule);
  });
  after(() => t.close());

  describe('over gRPC, from an independent python3-grpcio client', () => {
    it('should greet, send USER_NOT_FOUND in ErrorInfo, report SERVING, and list and describe services by reflection', async () => {
      const { stdout } = await run(PYTHON, [script, t.grpcAddress.split(':')[1] as string], { timeout: 20_000 });
      assert.deepEqual(JSON.parse(stdout), {
        message: 'Hello py',
        error: { code: 'NOT_FOUND', details: 'user not found: error', reason: 'USER_NOT_FOUND', metadata: {} },
        health: 1,
        services: ['grpc.health.v1.Health', 'grpc.reflection.v1.ServerReflection', 'grpc.reflection.v1alpha.ServerReflection', 'helloworld.v1.Greeter'],
        reflected_message: 'Hello reflection',
      });
    });
  });

  describe('over gRPC, from the kratos-ts client', () => {
    it('should greet and restore the typed error', async () => {
      const client = createGrpcClient({ proto, name: 'helloworld.v1.Greeter' }, { endpoint: t.grpcAddress });
      const sayHello = client['sayHello'] as (req: { name: string }, o?: object) => Promise<{ message: string }>;
      try {
        assert.deepEqual(await sayHello({ name: 'kratos' }, { replyHeader: new Metadata() }), { message: 'Hello kratos' });
        const err = await sayHello({ name: 'error' }).catch((e: unknown) => e);
        assert.ok(KratosError.isKratosError(err));
        assert.equal(isUserNotFound(err), true);
        assert.equal(errors.isNotFound(err), true);
      } finally {
        client.close();
      }
    });
  });

  describe('over HTTP, through the google.api.http annotation', () => {
    it('should serve GET /helloworld/{name} from the same handler', async () => {
      const res = await fetch(`${t.httpUrl}/helloworld/kratos`);
      assert.deepEqual(await res.json(), { message: 'Hello kratos' });
      const err = await fetch(`${t.httpUrl}/helloworld/error`);
      assert.equal(err.status, 404);
      assert.equal(((await err.json()) as { reason: string }).reason, 'USER_NOT_FOUND');
    });
  });
});
