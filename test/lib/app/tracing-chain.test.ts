import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Get, Inject, Module, Rpc, Service } from '../../../decorators/index.js';
import { TRACING } from '../../../lib/app/index.js';
import { token } from '../../../lib/container/index.js';
import { Logger, type Level } from '../../../lib/log/index.js';
import { tracingClient } from '../../../lib/middleware/tracing/index.js';
import { createTestApp, type TestApp } from '../../../lib/testing/index.js';
import type { Tracing } from '../../../lib/tracing/index.js';
import { createGrpcClient, type GrpcClient } from '../../../lib/transport/grpc/index.js';
import { HttpClient } from '../../../lib/transport/http/index.js';
import { valuer } from '../../../lib/log/index.js';
import { traceIdValuer } from '../../../lib/tracing/index.js';
import { repoPath } from '../../helpers/echo-service.js';

const echoProto = repoPath('test/fixtures/grpc/echo.proto');
const TO_C = token<HttpClient>('TO_C');
const TO_B = token<GrpcClient>('TO_B');

/** Keeps every record with the trace id active when it was written. */
class Capture extends Logger {
  readonly records: { level: Level; traceId: unknown; kv: unknown[] }[] = [];
  readonly #trace = valuer(traceIdValuer);
  log(level: Level, ...kv: unknown[]): void {
    this.records.push({ level, traceId: this.#trace(), kv });
  }
}

type SpanLike = { name: string; kind: number; spanContext(): { traceId: string; spanId: string }; parentSpanContext?: { spanId: string } };

describe('tracing across services (§9)', () => {
  it('should make one trace of HTTP -> gRPC -> HTTP with the right parents and kinds, and log its trace id', async () => {
    const tracing = { exporter: 'memory' as const, sampleRatio: 1 };
    const logs = new Capture();
    @Service() class CService { @Get('/c') c() { return { ok: true }; } }
    @Module({ services: [CService] }) class CModule {}
    const c = await createTestApp(CModule, { tracing, logger: logs });

    @Service({ proto: echoProto, name: 'echo.v1.Echo' })
    class BService {
      constructor(@Inject(TO_C) private readonly toC: HttpClient) {}
      @Rpc() async say(req: object) { await this.toC.invoke('GET', '/c'); return req; }
      @Rpc() async *count() { yield {}; }
      @Rpc() async join() { return {}; }
      @Rpc() async *chat() { yield {}; }
    }
    @Module({
      services: [BService],
      providers: [{ provide: TO_C, useFactory: (t: Tracing) => new HttpClient({ endpoint: c.httpUrl, middleware: [tracingClient(t)] }), inject: [TRACING] }],
    })
    class BModule {}
    const b = await createTestApp(BModule, { tracing, logger: logs, http: false });

    @Service()
    class AService {
      constructor(@Inject(TO_B) private readonly toB: GrpcClient) {}
      @Get('/a') async a() { return (this.toB['say'] as (r: object) => Promise<object>)({ text: 'x', n: 1 }); }
    }
    @Module({
      services: [AService],
      providers: [{ provide: TO_B, useFactory: (t: Tracing) => createGrpcClient({ proto: echoProto, name: 'echo.v1.Echo' }, { endpoint: b.grpcAddress, middleware: [tracingClient(t)] }), inject: [TRACING] }],
    })
    class AModule {}
    const a = await createTestApp(AModule, { tracing, logger: logs });
    const apps: TestApp[] = [a, b, c];
    try {
      assert.equal((await fetch(`${a.httpUrl}/a`)).status, 200);
      const spans = apps.flatMap((t) => (t.get(TRACING) as Tracing).memoryExporter?.getFinishedSpans() ?? []) as unknown as SpanLike[];
      const byName = (name: string, kind: number) => spans.find((s) => s.name === name && s.kind === kind) as SpanLike;
      const SERVER = 1;
      const CLIENT = 2;
      const aServer = byName('/a', SERVER);
      const bClient = byName('/echo.v1.Echo/Say', CLIENT);
      const bServer = byName('/echo.v1.Echo/Say', SERVER);
      const cClient = byName('/c', CLIENT);
      const cServer = byName('/c', SERVER);
      for (const s of [aServer, bClient, bServer, cClient, cServer]) assert.ok(s !== undefined, JSON.stringify(spans.map((x) => [x.name, x.kind])));
      const traceId = aServer.spanContext().traceId;
      for (const s of [bClient, bServer, cClient, cServer]) assert.equal(s.spanContext().traceId, traceId);
      assert.equal(bClient.parentSpanContext?.spanId, aServer.spanContext().spanId);
      assert.equal(bServer.parentSpanContext?.spanId, bClient.spanContext().spanId);
      assert.equal(cClient.parentSpanContext?.spanId, bServer.spanContext().spanId);
      assert.equal(cServer.parentSpanContext?.spanId, cClient.spanContext().spanId);
      const callLines = logs.records.filter((r) => r.kv.includes('operation'));
      assert.equal(callLines.length, 3);
      for (const r of callLines) assert.equal(r.traceId, traceId);
    } finally {
      (a.get(TO_B) as GrpcClient).close();
      b.get(TO_C).close();
      await Promise.all(apps.map((t) => t.close()));
    }
  });
});
