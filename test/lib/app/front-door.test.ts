import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { connect as http2Connect } from 'node:http2';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Module, Rpc, Service } from '../../../decorators/index.js';
import { rateLimit, rateLimited, type Limiter } from '../../../lib/resilience/index.js';
import { createTestApp, type TestApp } from '../../../lib/testing/index.js';
import { repoPath } from '../../helpers/echo-service.js';

const run = promisify(execFile);
const proto = repoPath('samples/helloworld/api/helloworld/v1/greeter.proto');
const pythonClient = fileURLToPath(new URL('../../../../test/interop/refused_client.py', import.meta.url));

let handled = 0;
@Service({ proto, name: 'helloworld.v1.Greeter' })
class Greeter {
  @Rpc() async sayHello(req: { name: string }) {
    handled++;
    return { message: `Hello ${req.name}` };
  }
}
@Module({ services: [Greeter] }) class M {}

/** Refuses everything; counts what it was asked. */
function refusing(): Limiter & { asked: number } {
  const l = {
    asked: 0,
    allow(): never {
      l.asked++;
      throw rateLimited();
    },
    tryAllow(): undefined {
      l.asked++;
      return undefined;
    },
  };
  return l;
}

/** The raw bytes of one HTTP/1.1 exchange, with the Date header (the only field that varies) removed. */
async function rawHttp(url: string, request: string): Promise<string> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  socket.end(request);
  let out = '';
  for await (const chunk of socket) out += (chunk as Buffer).toString('latin1');
  return out.replace(/\r\nDate: [^\r]*/i, '');
}

/** The response header block of one gRPC call (node:http2), without the date. */
async function grpcHeaders(address: string): Promise<[string, unknown][]> {
  const session = http2Connect(`http://${address}`);
  try {
    const req = session.request({ ':method': 'POST', ':path': '/helloworld.v1.Greeter/SayHello', 'content-type': 'application/grpc', te: 'trailers' });
    req.end(Buffer.from([0, 0, 0, 0, 4, 0x0a, 0x02, 0x70, 0x79]));
    const headers = await new Promise<Record<string, unknown>>((resolve, reject) => {
      req.once('response', resolve);
      req.once('error', reject);
    });
    req.resume();
    return Object.entries(headers).filter(([k]) => k !== 'date');
  } finally {
    session.close();
  }
}

const get = (path: string, extra = ''): string => `GET ${path} HTTP/1.1\r\nHost: x\r\n${extra}Connection: close\r\n\r\n`;

describe('createApp({ limiter }): shedding at the front door', () => {
  let front: TestApp;
  let chained: TestApp;
  const frontLimiter = refusing();
  before(async () => {
    front = await createTestApp(M, { limiter: frontLimiter });
    chained = await createTestApp(M, { middleware: [rateLimit({ limiter: refusing() })] });
  });
  after(async () => {
    await front.close();
    await chained.close();
  });

  it('should answer a refused HTTP request with the very bytes the rateLimit middleware sends, whatever Accept negotiates, without running the handler', async () => {
    const before = handled;
    for (const extra of ['', 'Accept: application/json\r\n', 'Accept: application/x-protobuf\r\n', 'Accept: text/html, */*\r\n']) {
      const fromFront = await rawHttp(front.httpUrl, get('/helloworld/kratos', extra));
      assert.match(fromFront, /^HTTP\/1\.1 429 /);
      assert.equal(fromFront, await rawHttp(chained.httpUrl, get('/helloworld/kratos', extra)), `Accept: ${extra}`);
    }
    const json = await rawHttp(front.httpUrl, get('/helloworld/kratos'));
    assert.deepEqual(JSON.parse(json.slice(json.indexOf('\r\n\r\n') + 4)), { code: 429, reason: 'RATELIMIT', message: 'service unavailable due to rate limit exceeded', metadata: {} });
    assert.equal(handled, before);
  });

  it('should refuse a request claiming to be gRPC-Web where no gRPC-Web gateway serves (a content type is no way past the limiter)', async () => {
    const app = await createTestApp(M, { limiter: refusing(), http: { grpcWeb: false } });
    const before = handled;
    const reply = await rawHttp(app.httpUrl, 'POST /helloworld/kratos HTTP/1.1\r\nHost: x\r\nContent-Type: application/grpc-web+proto\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    await app.close();
    assert.match(reply, /^HTTP\/1\.1 429 /);
    assert.equal(handled, before);
  });

  it('should answer HEAD without a body and keep the connection for the next request', async () => {
    const head = await rawHttp(front.httpUrl, 'HEAD /helloworld/kratos HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assert.equal(head, await rawHttp(chained.httpUrl, 'HEAD /helloworld/kratos HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'));
    assert.ok(head.endsWith('\r\n\r\n'));
    const two = await rawHttp(front.httpUrl, 'GET /helloworld/a HTTP/1.1\r\nHost: x\r\n\r\n' + get('/helloworld/b'));
    assert.equal(two.match(/HTTP\/1\.1 429/g)?.length, 2);
  });

  it('should refuse a request with a small body without reading it, and close the connection after one with a large body', async () => {
    const small = await rawHttp(front.httpUrl, 'POST /helloworld/kratos HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}' + get('/helloworld/b'));
    assert.equal(small.match(/HTTP\/1\.1 429/g)?.length, 2);
    const large = await rawHttp(front.httpUrl, `POST /helloworld/kratos HTTP/1.1\r\nHost: x\r\nContent-Length: ${1 << 20}\r\n\r\n`);
    assert.match(large, /^HTTP\/1\.1 429 [^]*\r\nConnection: close\r\n/i);
  });

  it('should leave the admin surfaces (/healthz, /readyz, /metrics) to their handlers, and count refusals in server_admission_refused_total', async () => {
    const asked = frontLimiter.asked;
    for (const path of ['/healthz', '/readyz', '/metrics', '/metrics?x=1', 'http://x/healthz']) assert.match(await rawHttp(front.httpUrl, get(path)), /^HTTP\/1\.1 200 /, path);
    assert.equal(frontLimiter.asked, asked, 'exempt calls are not counted by the limiter');
    await rawHttp(front.httpUrl, get('/helloworld/kratos'));
    const metrics = await rawHttp(front.httpUrl, get('/metrics'));
    const refused = /server_admission_refused_total\{kind="http"\} (\d+)/.exec(metrics);
    assert.ok(refused !== null && Number(refused[1]) >= 1, metrics.slice(0, 200));
  });

  it('should refuse a gRPC call with the header block grpc-js sends for the middleware\'s RESOURCE_EXHAUSTED, before the handler runs', async () => {
    const before = handled;
    const fromFront = await grpcHeaders(front.grpcAddress);
    assert.deepEqual(fromFront, await grpcHeaders(chained.grpcAddress));
    const fields = Object.fromEntries(fromFront);
    assert.deepEqual([fields[':status'], fields['content-type'], fields['grpc-status'], fields['grpc-message']], [200, 'application/grpc+proto', '8', 'service%20unavailable%20due%20to%20rate%20limit%20exceeded']);
    assert.equal(typeof fields['grpc-status-details-bin'], 'string');
    assert.equal(handled, before);
  });

  it('should be RESOURCE_EXHAUSTED with ErrorInfo reason RATELIMIT to an independent client (python3-grpcio), health still answering', async () => {
    const seen = async (address: string): Promise<{ error: Record<string, unknown>; health: number | string }> =>
      JSON.parse((await run('/usr/bin/python3', [pythonClient, address.split(':')[1] as string], { timeout: 20_000 })).stdout) as { error: Record<string, unknown>; health: number | string };
    const fromFront = await seen(front.grpcAddress);
    assert.deepEqual({ ...fromFront.error, details_bin: undefined }, { code: 'RESOURCE_EXHAUSTED', details: 'service unavailable due to rate limit exceeded', status_code: 8, status_message: 'service unavailable due to rate limit exceeded', reason: 'RATELIMIT', details_bin: undefined });
    assert.equal(fromFront.error['details_bin'], (await seen(chained.grpcAddress)).error['details_bin']);
    assert.equal(fromFront.health, 1, 'grpc.health.v1 SERVING: exempt at the front door');
  });
});

describe('createApp({ limiter }): options', () => {
  it('should refuse the same limiter as `limiter` and in a rateLimit() of `middleware`, with KRATOS_ERR_OPTIONS_INVALID', async () => {
    const limiter = refusing();
    await assert.rejects(createTestApp(M, { limiter, middleware: [rateLimit({ limiter })] }), (e: unknown) => (e as { code?: string }).code === 'KRATOS_ERR_OPTIONS_INVALID' && /count every call twice/.test(String(e)));
  });
});

describe('createApp({ limiter }): admitted calls', () => {
  it('should run admitted calls on both transports and tell the limiter once when each ended', async () => {
    const ended: number[] = [];
    const limiter: Limiter = { allow: () => () => void ended.push(1) };
    const t = await createTestApp(M, { limiter });
    try {
      assert.match(await rawHttp(t.httpUrl, get('/helloworld/kratos')), /^HTTP\/1\.1 200 [^]*Hello kratos/);
      assert.deepEqual(await grpcHeaders(t.grpcAddress).then((h) => h[0]), [':status', 200]);
      for (let i = 0; i < 50 && ended.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
      // A gRPC call ends for the limiter when grpc-js has handed its reply over, and not again when its stream closes.
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(ended.length, 2);
    } finally {
      await t.close();
    }
  });
});
