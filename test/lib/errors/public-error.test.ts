import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { credentials, Client, Metadata, type ServiceError } from '@grpc/grpc-js';
import { Get, Module, Rpc, Service } from '../../../decorators/index.js';
import { fromError, fromGrpcStatus, hasInternalDetail, KratosError, publicError, withInternalDetail } from '../../../lib/errors/index.js';
import { Logger, type Level } from '../../../lib/log/index.js';
import { createTestApp } from '../../../lib/testing/index.js';
import { createGrpcClient, createHttpClient } from '../../../lib/index.js';
import { repoPath } from '../../helpers/echo-service.js';
import { restartablePort } from '../../helpers/ports.js';

const proto = repoPath('test/fixtures/grpc/echo.proto');

class Capture extends Logger {
  readonly text: string[] = [];
  log(_level: Level, ...kv: unknown[]): void {
    this.text.push(kv.map((v) => (v instanceof Error ? `${v.stack} ${String((v as { cause?: unknown }).cause)}` : String(v))).join(' '));
  }
}

describe('publicError', () => {
  it('should replace the message of an error marked as carrying internal detail, keeping code, reason and metadata', () => {
    const e = withInternalDetail(new KratosError(503, 'UNAVAILABLE', 'ECONNREFUSED: connect ECONNREFUSED 10.0.0.5:9000', { k: 'v' }));
    assert.deepEqual(publicError(e).toJSON(), { code: 503, reason: 'UNAVAILABLE', message: 'service unavailable', metadata: { k: 'v' } });
    assert.equal(publicError(e, true), e, 'opted in: as it is');
    assert.ok(hasInternalDetail(e.withMetadata({ x: '1' })) && hasInternalDetail(e.clone()) && hasInternalDetail(e.withCause(new Error('x'))), 'copies keep the mark');
  });

  it('should leave business errors alone and cut stack traces out of any message', () => {
    const business = new KratosError(404, 'USER_NOT_FOUND', 'user not found: bob');
    assert.equal(publicError(business), business);
    const pasted = new KratosError(500, 'DB', `query failed\n    at Query.run (/srv/app/db.js:10:5)\n    at main (/srv/app/main.js:1:1)`);
    assert.equal(publicError(pasted).message, 'query failed');
  });

  it('should mark what comes from dependencies: statuses without ErrorInfo and foreign errors', () => {
    assert.ok(hasInternalDetail(fromGrpcStatus({ code: 14, details: 'No connection established. Last error: connect ECONNREFUSED 10.0.0.5:9000' })));
    assert.ok(hasInternalDetail(fromError(new Error('getaddrinfo ENOTFOUND db.internal')) as KratosError));
    assert.ok(!hasInternalDetail(new KratosError(503, 'UNAVAILABLE', 'maintenance')));
  });
});

describe('errors leaving a service', () => {
  let port: number;
  before(async () => {
    port = await restartablePort();
  });

  @Service({ proto })
  class Gateway {
    @Get('/via-http') async viaHttp() {
      return createHttpClient({ endpoint: `127.0.0.1:${port}` }).invoke('GET', '/anything');
    }
    @Get('/via-grpc') async viaGrpc() {
      return createGrpcClient({ proto, name: 'echo.v1.Echo' }, { endpoint: `127.0.0.1:${port}` })['say']?.({ text: 'x' }, { timeout: 2000 });
    }
    @Rpc() async say() {
      return this.viaHttp();
    }
    @Rpc() async *count() { yield {}; }
    @Rpc() async join() { return {}; }
    @Rpc() async *chat() { yield {}; }
  }
  @Module({ services: [Gateway] }) class GatewayModule {}

  it('should answer 503 without the peer\'s address on HTTP and gRPC, and log the address', async () => {
    const logger = new Capture();
    const t = await createTestApp(GatewayModule, { logger });
    const raw = new Client(t.grpcAddress, credentials.createInsecure());
    try {
      for (const path of ['/via-http', '/via-grpc']) {
        const res = await fetch(`${t.httpUrl}${path}`);
        const body = await res.text();
        assert.equal(res.status, 503, body);
        assert.equal((JSON.parse(body) as { message: string }).message, 'service unavailable', path);
        assert.ok(!body.includes(String(port)) && !body.includes('127.0.0.1'), body);
      }
      // grpc-js, not our client, reads what the gRPC server sends.
      const err = await new Promise<ServiceError>((resolve) =>
        raw.makeUnaryRequest('/echo.v1.Echo/Say', (b: Buffer) => b, (b: Buffer) => b, Buffer.alloc(0), new Metadata(), {}, (e) => resolve(e as ServiceError)));
      assert.equal(err.code, 14);
      assert.equal(err.details, 'service unavailable');
      assert.ok(!JSON.stringify(err.metadata.getMap()).includes(String(port)));
      assert.ok(logger.text.some((l) => l.includes(`127.0.0.1:${port}`)), 'the log keeps the address');
    } finally {
      raw.close();
      await t.close();
    }
  });

  it('should send the detail when the app opts in', async () => {
    const t = await createTestApp(GatewayModule, { recovery: { exposeMessages: true } });
    try {
      const body = await (await fetch(`${t.httpUrl}/via-http`)).text();
      assert.ok(body.includes(`127.0.0.1:${port}`), body);
    } finally {
      await t.close();
    }
  });
});
