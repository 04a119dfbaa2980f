import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Module, Rpc, Service } from '../../../decorators/index.js';
import { notFound } from '../../../lib/errors/index.js';
import type { Middleware } from '../../../lib/middleware/index.js';
import { createTestApp, type TestApp } from '../../../lib/testing/index.js';
import { CaptureLogger } from '../../helpers/capture-logger.js';
import { repoPath } from '../../helpers/echo-service.js';
import { served } from '../../helpers/keep-alive-client.js';

// The proto route with createApp's defaults (tracing with the sampler off, access log, recovery,
// metrics, metadata): the built-ins run as one fused frame, which calls a synchronous method as it
// is and settles the call at once, so a request makes no promise (main's build made three: the
// method's, the frame's watch and the transport's wait). docs/performance.md "The tenth round".
@Service({ proto: repoPath('test/fixtures/kratos-examples/layout/api/helloworld/v1/greeter.proto'), name: 'helloworld.v1.Greeter' })
class Greeter {
  @Rpc() sayHello(req: { name: string }): unknown {
    if (req.name === 'later') return Promise.resolve({ message: 'Hello later' });
    if (req.name === 'missing') throw notFound('USER_NOT_FOUND', 'no such user');
    if (req.name === 'broken') throw new Error('secret detail');
    return { message: `Hello ${req.name}` };
  }
}
@Module({ services: [Greeter] }) class AppModule {}

// A middleware that only passes the call on: outside the fused frame, the handler path with its promises.
const passing: Middleware = (next) => (req, ctx) => next(req, ctx);

describe('the proto route with the defaults', () => {
  let direct: TestApp;
  let wrapped: TestApp;
  const logs = { direct: new CaptureLogger(), wrapped: new CaptureLogger() };
  const port = (t: TestApp): number => Number(new URL(t.httpUrl).port);
  before(async () => {
    direct = await createTestApp(AppModule, { logger: logs.direct, grpc: false });
    wrapped = await createTestApp(AppModule, { logger: logs.wrapped, grpc: false, middleware: [passing] });
  });
  after(async () => {
    await direct.close();
    await wrapped.close();
  });

  it('should answer a synchronous method without making a promise', async () => {
    const paths = Array.from({ length: 400 }, (_, i) => `/helloworld/n${i}`);
    const defaults = await served(port(direct), paths);
    const through = await served(port(wrapped), paths);
    assert.equal(defaults.responses.length, 400);
    assert.match(defaults.responses[7] ?? '', /\{"message":"Hello n7"\}$/);
    assert.ok(through.promises >= 800, `through a middleware: ${through.promises} promises for 400 requests`);
    assert.ok(defaults.promises < 40, `the defaults alone: ${defaults.promises} promises for 400 requests`);
  });

  it('should send and log what the handler path does, for replies, async methods and errors', async () => {
    const paths = ['/helloworld/kratos', '/helloworld/h%C3%A9llo', '/helloworld/later', '/helloworld/missing', '/helloworld/broken', '/helloworld/%E0%A4%A'];
    logs.direct.records.length = 0;
    logs.wrapped.records.length = 0;
    const a = await served(port(direct), paths);
    const b = await served(port(wrapped), paths);
    assert.deepEqual(a.responses, b.responses);
    assert.match(a.responses[3] ?? '', /^HTTP\/1\.1 404 [^]*"reason":"USER_NOT_FOUND"/);
    assert.match(a.responses[4] ?? '', /^HTTP\/1\.1 500 [^]*"reason":"UNKNOWN"/);
    assert.match(a.responses[5] ?? '', /^HTTP\/1\.1 400 /);
    for (const r of a.responses) assert.doesNotMatch(r, /connection: close|secret detail/i);
    // The access lines carry the same fields and values, but for the latency, the ids of each call and the stack's frames.
    const fields = (records: Record<string, unknown>[]): Record<string, unknown>[] =>
      records.map(({ latency, 'trace.id': _t, 'span.id': _s, ts: _ts, ...rest }) => {
        assert.equal(typeof latency, 'number');
        // A stack is compared by its first line (the frames below the method are the path's own).
        return { ...rest, stack: String(rest['stack']).split('\n')[0] };
      });
    assert.equal(logs.direct.records.length, logs.wrapped.records.length);
    assert.deepEqual(fields(logs.direct.records), fields(logs.wrapped.records));
    assert.deepEqual(logs.direct.records.map((r) => r['code']), [200, 200, 200, 404, 500, 400]);
  });

  it('should count each call in the same series as the handler path', async () => {
    const text = async (t: TestApp): Promise<string> => (await fetch(`${t.httpUrl}/metrics`)).text();
    const series = (body: string): string[] => body.split('\n').filter((l) => l.startsWith('server_requests_code_total') || l.startsWith('server_requests_seconds_count'));
    const [a, b] = [series(await text(direct)), series(await text(wrapped))];
    assert.ok(a.length > 0, 'the request series are exported');
    assert.deepEqual(a, b);
  });
});
