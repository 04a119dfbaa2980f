import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { connect as http2Connect, constants, type ClientHttp2Session } from 'node:http2';
import { connect, type Socket } from 'node:net';
import { Module, Rpc, Service } from '../../../decorators/index.js';
import type { Limiter } from '../../../lib/resilience/index.js';
import { createTestApp, type TestApp } from '../../../lib/testing/index.js';
import { repoPath } from '../../helpers/echo-service.js';

const proto = repoPath('samples/helloworld/api/helloworld/v1/greeter.proto');

/** Names of the calls whose handler ran, in order; `onSlow` runs inside a `slow` call's handler, before its 40 ms of CPU. */
let ran: string[] = [];
let onSlow: () => void = () => undefined;
@Service({ proto, name: 'helloworld.v1.Greeter' })
class Greeter {
  @Rpc() async sayHello(req: { name: string }) {
    ran.push(req.name);
    if (req.name === 'slow') {
      onSlow();
      const until = performance.now() + 40;
      while (performance.now() < until);
    }
    return { message: `Hello ${req.name}` };
  }
}
@Module({ services: [Greeter] }) class M {}

/** Admits everything, counting the calls that ended. */
const admitting = (): Limiter & { ended: number } => {
  const l = { ended: 0, allow: () => () => void l.ended++ };
  return l;
};

/**
 * Opens `n` connections to the HTTP server, each having served one request: the server has accepted
 * them and reads them in the same I/O phase (a connection it has not accepted yet would be read an
 * iteration later).
 */
async function sockets(url: string, n: number): Promise<Socket[]> {
  const { hostname, port } = new URL(url);
  return Promise.all(Array.from({ length: n }, () => new Promise<Socket>((resolve, reject) => {
    const s = connect(Number(port), hostname, () => s.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n'));
    s.once('data', () => resolve(s));
    s.once('error', reject);
  })));
}

/** What a socket receives until it closes. */
function reply(socket: Socket): Promise<string> {
  return new Promise((resolve) => {
    let out = '';
    socket.on('data', (d: Buffer) => (out += d.toString('latin1')));
    socket.once('close', () => resolve(out));
    socket.once('error', () => undefined);
  });
}

const get = (name: string): string => `GET /helloworld/${name} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`;

/** A gRPC SayHello on `session` (node:http2, no grpc-js): resolves to its grpc-status. */
function grpcCall(session: ClientHttp2Session, name: string, timeout?: string): Promise<string> {
  const body = Buffer.concat([Buffer.from([0, 0, 0, 0, name.length + 2, 0x0a, name.length]), Buffer.from(name)]);
  const req = session.request({ ':method': 'POST', ':path': '/helloworld.v1.Greeter/SayHello', 'content-type': 'application/grpc', te: 'trailers', ...(timeout === undefined ? {} : { 'grpc-timeout': timeout }) });
  req.end(body);
  req.resume();
  return new Promise((resolve, reject) => {
    let status = '';
    req.once('response', (h) => (status = String(h['grpc-status'] ?? '')));
    req.once('trailers', (t) => (status = String(t['grpc-status'])));
    req.once('close', () => resolve(status));
    req.once('error', reject);
  });
}

describe('createApp({ limiter }): paced admission at the front door', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    onSlow = () => undefined;
    await t?.close().catch(() => undefined);
    t = undefined;
  });

  it('should hold HTTP requests that arrive while a handler runs and run them after it, one at a time and in order', async () => {
    ran = [];
    t = await createTestApp(M, { limiter: admitting() });
    const [slow, a, b, health] = await sockets(t.httpUrl, 4);
    const replies = [slow, a, b, health].map((s) => reply(s!));
    // Written in one turn: the server reads them in one I/O phase, `slow` first.
    slow!.write(get('slow'));
    a!.write(get('a'));
    b!.write(get('b'));
    health!.write('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    const out = await Promise.all(replies);
    for (const r of out) assert.match(r, /^HTTP\/1\.1 200 /);
    assert.deepEqual(ran, ['slow', 'a', 'b']);
  });

  it('should drop a held HTTP request whose client went away without running it, and tell the limiter it ended', async () => {
    ran = [];
    const limiter = admitting();
    t = await createTestApp(M, { limiter });
    const [slow, a, gone] = await sockets(t.httpUrl, 3);
    const replies = [reply(slow!), reply(a!), reply(gone!)];
    // While `slow` runs, `gone` is read and held; its client resets the connection before its turn.
    onSlow = () => void setImmediate(() => gone!.resetAndDestroy());
    slow!.write(get('slow'));
    a!.write(get('a'));
    gone!.write(get('gone'));
    const out = await Promise.all(replies);
    assert.match(out[1]!, /^HTTP\/1\.1 200 /);
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(ran, ['slow', 'a']);
    assert.equal(limiter.ended, 3);
  });

  it('should answer DEADLINE_EXCEEDED for a held gRPC call whose deadline passed while it was held, without running it', async () => {
    ran = [];
    t = await createTestApp(M, { limiter: admitting() });
    const session = http2Connect(`http://${t.grpcAddress}`);
    try {
      await new Promise((r) => session.once('connect', r));
      const calls = [grpcCall(session, 'slow'), grpcCall(session, 'late', '10m'), grpcCall(session, 'ontime', '5S')];
      assert.deepEqual(await Promise.all(calls), ['0', '4', '0']);
      assert.deepEqual(ran, ['slow', 'ontime']);
    } finally {
      session.close();
    }
  });

  it('should survive a held gRPC stream its client resets with an error code, and not run it', async () => {
    ran = [];
    const limiter = admitting();
    t = await createTestApp(M, { limiter });
    const session = http2Connect(`http://${t.grpcAddress}`);
    const uncaught: unknown[] = [];
    const record = (err: unknown): void => void uncaught.push(err);
    process.on('uncaughtException', record);
    try {
      await new Promise((r) => session.once('connect', r));
      const body = Buffer.from([0, 0, 0, 0, 8, 0x0a, 6, ...Buffer.from('victim')]);
      // While `slow` runs, `victim` is held; its client resets it with INTERNAL_ERROR (not CANCEL) before its turn.
      onSlow = () => void setImmediate(() => victim.close(constants.NGHTTP2_INTERNAL_ERROR));
      const calls = [grpcCall(session, 'slow')];
      const victim = session.request({ ':method': 'POST', ':path': '/helloworld.v1.Greeter/SayHello', 'content-type': 'application/grpc', te: 'trailers' });
      victim.on('error', () => undefined);
      victim.resume();
      victim.end(body);
      calls.push(grpcCall(session, 'after'));
      assert.deepEqual(await Promise.all(calls), ['0', '0']);
      await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(uncaught, []);
      assert.deepEqual(ran, ['slow', 'after']);
      assert.equal(limiter.ended, 3, 'the reset call too was told, once');
    } finally {
      process.off('uncaughtException', record);
      session.close();
    }
  });

  it('should run the held calls when the app stops while they wait (shutdown drains them)', async () => {
    ran = [];
    t = await createTestApp(M, { limiter: admitting() });
    const app = t;
    const [slow, a, b] = await sockets(t.httpUrl, 3);
    const replies = [reply(slow!), reply(a!), reply(b!)];
    let stopped: Promise<void> | undefined;
    // Once `a` and `b` are read and held (the check phase after the I/O phase that read them all).
    onSlow = () => void setImmediate(() => (stopped = app.close()));
    slow!.write(get('slow'));
    a!.write(get('a'));
    b!.write(get('b'));
    for (const r of await Promise.all(replies)) assert.match(r, /^HTTP\/1\.1 200 /);
    await stopped;
    t = undefined;
    assert.deepEqual(ran, ['slow', 'a', 'b']);
  });
});
