import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { credentials, Client, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { Module, Rpc, Service } from '../../../../decorators/index.js';
import { METER } from '../../../../lib/app/index.js';
import { KratosError } from '../../../../lib/errors/index.js';
import type { PrometheusMeter } from '../../../../lib/metrics/index.js';
import type { Handler } from '../../../../lib/middleware/index.js';
import { createTestApp, type TestApp } from '../../../../lib/testing/index.js';
import { healthRoot, reflectionRoot } from '../../../../lib/transport/grpc/index.js';
import type { Context } from '../../../../lib/transport/index.js';
import { repoPath } from '../../../helpers/echo-service.js';
import { CaptureLogger as Capture } from '../../../helpers/capture-logger.js';

@Service({ proto: repoPath('test/fixtures/grpc/echo.proto') })
class Echo {
  @Rpc() async say(req: object) { return req; }
  @Rpc() async *count() { yield {}; }
  @Rpc() async join() { return {}; }
  @Rpc() async *chat() { yield {}; }
}
@Module({ services: [Echo] }) class M {}

const WATCH = '/grpc.health.v1.Health/Watch';
const REFLECT = '/grpc.reflection.v1.ServerReflection/ServerReflectionInfo';
const HReq = healthRoot().lookupType('grpc.health.v1.HealthCheckRequest');
const HRes = healthRoot().lookupType('grpc.health.v1.HealthCheckResponse');
const RReq = reflectionRoot('v1').lookupType('grpc.reflection.v1.ServerReflectionRequest');
const RRes = reflectionRoot('v1').lookupType('grpc.reflection.v1.ServerReflectionResponse');


/** What a middleware in front of the guarded services saw of each call: its context and, once it ended, its signal's reason. */
interface Seen { ctx: Context & { call: NodeJS.EventEmitter }; reason?: unknown; ended: boolean }

describe('a raw gRPC service guarded by the app middleware (health, reflection)', () => {
  let t: TestApp;
  let client: Client;
  const logs = new Capture();
  const seen: Seen[] = [];
  before(async () => {
    // Records each call; refuses one that asks for it, as a selector or JWT would.
    const probe = (next: Handler): Handler => async (req, ctx) => {
      const s: Seen = { ctx: ctx as Seen['ctx'], ended: false };
      seen.push(s);
      if (ctx.requestHeader.get('x-refuse') !== undefined) throw new KratosError(403, 'FORBIDDEN', 'refused');
      try {
        return await next(req, ctx);
      } finally {
        s.reason = ctx.signal.reason;
        s.ended = true;
      }
    };
    t = await createTestApp(M, { logger: logs, middleware: [probe] });
    client = new Client(t.grpcAddress, credentials.createInsecure());
  });
  after(async () => {
    client.close();
    await t.close();
  });

  function watch(md = new Metadata()) {
    const call = client.makeServerStreamRequest(WATCH, (o: object) => Buffer.from(HReq.encode(HReq.fromObject(o)).finish()),
      (b: Buffer) => HRes.toObject(HRes.decode(b), { enums: String }), { service: '' }, md);
    const ended = new Promise<number>((resolve) => call.on('error', (err: ServiceError) => resolve(err.code)));
    return { call, ended };
  }

  async function lastOf(operation: string): Promise<Seen> {
    const until = Date.now() + 3000;
    let s: Seen | undefined;
    while ((s = seen.findLast((x) => x.ctx.operation === operation))?.ended !== true && Date.now() < until) await sleep(10);
    assert.ok(s?.ended === true, `no ended call of ${operation}`);
    return s;
  }

  async function count(operation: string, code: number, reason: string): Promise<string | undefined> {
    const text = await (t.get(METER) as PrometheusMeter).metrics();
    return text.split('\n').find((l) => l.startsWith(`server_requests_code_total{kind="grpc",operation="${operation}",code="${code}",reason="${reason}"}`));
  }

  it("should end a Watch its client cancels with the framework's 499 CANCELLED: in the signal, the access log and the metrics", async () => {
    const { call, ended } = watch();
    await new Promise((r) => call.once('data', r));
    call.cancel();
    assert.equal(await ended, status.CANCELLED);
    const s = await lastOf(WATCH);
    assert.ok(KratosError.isKratosError(s.reason), `the signal's reason: ${String(s.reason)}`);
    assert.deepEqual([s.reason.code, s.reason.reason], [499, 'CANCELLED']);
    const line = logs.records.findLast((r) => r['operation'] === WATCH);
    assert.deepEqual([line?.['code'], line?.['reason']], [499, 'CANCELLED']);
    // The same record as for the app's own streams: the cancellation is the framework's error, not a bare Error.
    assert.match(String(line?.['stack']), /^KratosError: call cancelled by the client/);
    assert.match((await count(WATCH, 499, 'CANCELLED')) ?? '', / 1$/);
  });

  it('should settle a stream that ended normally: not aborted afterwards, no cancellation listener left', async () => {
    const call = client.makeBidiStreamRequest(REFLECT, (o: object) => Buffer.from(RReq.encode(RReq.fromObject(o)).finish()),
      (b: Buffer) => RRes.toObject(RRes.decode(b)), new Metadata());
    call.write({ listServices: '' });
    call.end();
    let answers = 0;
    for await (const _ of call) answers++;
    assert.equal(answers, 1);
    const s = await lastOf(REFLECT);
    await sleep(100); // grpc-js reports the ended call as cancelled a moment later
    assert.equal(s.reason, undefined);
    assert.equal(s.ctx.aborted, false, 'the finished call turned aborted');
    assert.equal(s.ctx.signal.aborted, false);
    assert.equal(s.ctx.call.listenerCount('cancelled'), 0);
    assert.match((await count(REFLECT, 200, '')) ?? '', / 1$/);
  });

  it('should settle a stream the middleware refused: its status sent, not aborted afterwards', async () => {
    const md = new Metadata();
    md.set('x-refuse', '1');
    const { ended } = watch(md);
    assert.equal(await ended, status.PERMISSION_DENIED);
    const s = seen.findLast((x) => x.ctx.operation === WATCH && x.ctx.requestHeader.get('x-refuse') !== undefined);
    assert.ok(s !== undefined);
    await sleep(100);
    assert.equal(s.ctx.aborted, false, 'the refused call turned aborted');
    assert.equal(s.ctx.call.listenerCount('cancelled'), 0);
    assert.match((await count(WATCH, 403, 'FORBIDDEN')) ?? '', / 1$/);
  });
});
