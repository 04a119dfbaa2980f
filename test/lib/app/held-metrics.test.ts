// The held calls of paced admission as an operator sees them: a real app with `createApp({ limiter })`,
// driven by wrk (HTTP) and grpc-js (gRPC) with more calls at once than one event-loop turn runs, then
// /metrics scraped and read by promtool, the Prometheus project's own checker.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { credentials, Client } from '@grpc/grpc-js';
import { Module, Rpc, Service } from '../../../decorators/index.js';
import { BbrLimiter } from '../../../lib/resilience/index.js';
import { createTestApp } from '../../../lib/testing/index.js';
import { repoPath } from '../../helpers/echo-service.js';

const run = promisify(execFile);
const proto = repoPath('samples/helloworld/api/helloworld/v1/greeter.proto');
const PROMTOOL = '/usr/bin/promtool';
const WRK = '/usr/bin/wrk';

@Service({ proto, name: 'helloworld.v1.Greeter' })
class Greeter {
  @Rpc() async sayHello(req: { name: string }) {
    // 1 ms of CPU: a turn that reads several calls holds all but the first.
    const until = performance.now() + 1;
    while (performance.now() < until);
    return { message: `Hello ${req.name}` };
  }
}
@Module({ services: [Greeter] }) class M {}

/** 64 unary calls at once over one grpc-js channel. */
async function grpcBurst(address: string): Promise<number> {
  const client = new Client(address, credentials.createInsecure());
  const name = Buffer.from('py');
  const request = Buffer.concat([Buffer.from([0x0a, name.length]), name]);
  try {
    const calls = Array.from({ length: 64 }, () => new Promise<void>((resolve, reject) => {
      client.makeUnaryRequest('/helloworld.v1.Greeter/SayHello', (b: Buffer) => b, (b: Buffer) => b, request, (err) => (err === null ? resolve() : reject(err)));
    }));
    const settled = await Promise.allSettled(calls);
    return settled.filter((s) => s.status === 'fulfilled').length;
  } finally {
    client.close();
  }
}

const sample = (text: string, series: string): number => {
  const m = new RegExp(`^${series.replace(/[{}"+]/g, (c) => `\\${c}`)} (\\S+)$`, 'm').exec(text);
  return m === null ? NaN : Number(m[1]);
};

describe('held calls metrics (createApp({ limiter }))', () => {
  it('should count held calls and their wait per transport, every held call reaching its turn, in text promtool accepts', async (t) => {
    if (!existsSync(WRK) || !existsSync(PROMTOOL)) return void t.skip('wrk or promtool is not installed');
    const limiter = new BbrLimiter();
    const app = await createTestApp(M, { limiter });
    try {
      await run(WRK, ['-t1', '-c32', '-d1s', `${app.httpUrl}/helloworld/kratos`]);
      assert.ok((await grpcBurst(app.grpcAddress)) > 0, 'some gRPC calls served');
      const text = await (await fetch(`${app.httpUrl}/metrics`)).text();
      for (const kind of ['http', 'grpc']) {
        const held = sample(text, `server_admission_held_total{kind="${kind}"}`);
        const turns = sample(text, `server_admission_held_seconds_count{kind="${kind}"}`);
        assert.ok(held > 0, `${kind}: calls held under load: ${held}`);
        // Nothing is held once the load has stopped: every held call had its turn, and was timed.
        assert.equal(turns, held, `${kind}: held ${held}, turns ${turns}`);
        assert.ok(sample(text, `server_admission_held_seconds_sum{kind="${kind}"}`) > 0, `${kind}: held calls waited`);
        assert.equal(sample(text, `server_admission_held_seconds_bucket{le="+Inf",kind="${kind}"}`), turns);
      }
      assert.match(text, /# TYPE server_admission_held_total counter/);
      assert.match(text, /# TYPE server_admission_held_seconds histogram/);
      const checked = spawnSync(PROMTOOL, ['check', 'metrics'], { input: text, encoding: 'utf8' });
      assert.equal(checked.status, 0, checked.stdout + checked.stderr);
      assert.doesNotMatch(checked.stdout + checked.stderr, /server_admission/);
    } finally {
      await app.close();
      limiter.close();
    }
  });
});
