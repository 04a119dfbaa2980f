import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Get, Module, Service } from '../../../decorators/index.js';
import { notFound } from '../../../lib/errors/index.js';
import { NoopLogger } from '../../../lib/log/index.js';
import type { Middleware } from '../../../lib/middleware/index.js';
import { createTestApp, type TestApp } from '../../../lib/testing/index.js';
import { served } from '../../helpers/keep-alive-client.js';

@Service()
class Api {
  @Get('/hello/{name}') hello(req: { name: string }) { return { message: `Hello ${req.name}` }; }
  @Get('/later/{name}') async later(req: { name: string }) { return { message: `Later ${req.name}` }; }
  @Get('/missing/{name}') missing(req: { name: string }) { throw notFound('USER_NOT_FOUND', `no user ${req.name}`); }
  @Get('/broken') broken() { throw new Error('secret detail'); }
  @Get('/nothing') nothing() { return undefined; }
  @Get('/unwritable') unwritable() { return { n: 1n }; }
}
@Module({ services: [Api] }) class AppModule {}

// Every built-in a user can switch off, as the bench's plain route runs: nothing wraps the method.
const ALL_OFF = { logger: new NoopLogger(), accessLog: false, metrics: false, tracing: false, recovery: false, callMetadata: false, ambientContext: false } as const;
// A middleware that only passes the call on: the handler path, with its promises, for comparison.
const passing: Middleware = (next) => (req, ctx) => next(req, ctx);

describe('a route with nothing around its method', () => {
  let direct: TestApp;
  let ambient: TestApp;
  let wrapped: TestApp;
  const port = (t: TestApp): number => Number(new URL(t.httpUrl).port);
  before(async () => {
    direct = await createTestApp(AppModule, ALL_OFF);
    ambient = await createTestApp(AppModule, { ...ALL_OFF, ambientContext: true });
    wrapped = await createTestApp(AppModule, { ...ALL_OFF, middleware: [passing] });
  });
  after(async () => {
    await direct.close();
    await ambient.close();
    await wrapped.close();
  });

  it('should answer a synchronous method without making a promise', async () => {
    const paths = Array.from({ length: 400 }, (_, i) => `/hello/n${i}`);
    const off = await served(port(direct), paths);
    const on = await served(port(ambient), paths);
    const through = await served(port(wrapped), paths);
    assert.equal(off.responses.length, 400);
    assert.match(off.responses[7] ?? '', /\{"message":"Hello n7"\}$/);
    // Through a middleware a call makes promises (the handler's, and the transport's wait for it);
    // called as it is, a synchronous method makes none, whether the ambient context is on or off.
    assert.ok(through.promises >= 400, `through a middleware: ${through.promises} promises for 400 requests`);
    assert.ok(off.promises < 40, `ambient context off: ${off.promises} promises for 400 requests`);
    assert.ok(on.promises < 40, `ambient context on: ${on.promises} promises for 400 requests`);
  });

  it('should send byte for byte what the handler path sends, for replies, async methods, errors and refused requests', async () => {
    const paths = ['/hello/kratos', '/hello/h%C3%A9llo', '/later/x', '/missing/ann', '/broken', '/nothing', '/hello/%E0%A4%A', '/hello/x?extra=1', '/unwritable'];
    const a = await served(port(direct), paths);
    const b = await served(port(wrapped), paths);
    const c = await served(port(ambient), paths);
    assert.deepEqual(a.responses, b.responses);
    assert.deepEqual(c.responses, b.responses);
    assert.match(a.responses[1] ?? '', /^HTTP\/1\.1 200 OK\r\ncontent-type: application\/json\r\ncontent-length: 26\r\n[^]*\{"message":"Hello héllo"\}$/);
    assert.match(a.responses[3] ?? '', /^HTTP\/1\.1 404 [^]*"reason":"USER_NOT_FOUND"/);
    assert.match(a.responses[4] ?? '', /^HTTP\/1\.1 500 [^]*"reason":"UNKNOWN"/);
    assert.doesNotMatch(a.responses[4] ?? '', /secret detail/);
    assert.match(a.responses[5] ?? '', /^HTTP\/1\.1 200 OK\r\ncontent-length: 0\r\n/);
    assert.match(a.responses[6] ?? '', /^HTTP\/1\.1 400 [^]*"reason":"CODEC"/);
    assert.match(a.responses[8] ?? '', /^HTTP\/1\.1 500 /);
    // A failure keeps the connection open, as through the handler (node had read the whole request).
    for (const r of a.responses) assert.doesNotMatch(r, /connection: close/i);
  });
});
