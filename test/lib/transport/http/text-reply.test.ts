import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { defaultCodecs, JsonCodec } from '../../../../lib/encoding/index.js';
import { HttpServer, type HttpContext, type HttpRoute } from '../../../../lib/transport/http/index.js';

/** The raw bytes and headers of one response, read by node's client (no decoding in between). */
function raw(url: string, method = 'GET', accept?: string): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers: accept === undefined ? {} : { accept } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

const WIDE = { message: 'héllo ✓ 😀 "quoted" \\ \u2028', n: 1.5, list: [true, null] };
const LARGE = { text: 'ü✓'.repeat(20_000) };

async function started(routes: HttpRoute[], options: ConstructorParameters<typeof HttpServer>[0] = {}): Promise<{ s: HttpServer; url: string }> {
  const s = new HttpServer({ addr: '127.0.0.1:0', ...options });
  for (const r of routes) s.route(r);
  await s.start();
  return { s, url: `http://127.0.0.1:${s.port}` };
}

describe('HttpServer replies in the default JSON codec', () => {
  let s: HttpServer;
  let url: string;
  const seen: { unaryReply?: boolean; closeListeners?: number; requestListeners?: number } = {};
  before(async () => {
    ({ s, url } = await started([
      { method: 'GET', path: '/wide', operation: 'wide', handler: async () => WIDE },
      { method: 'GET', path: '/large', operation: 'large', handler: async () => LARGE },
      { method: 'GET', path: '/flat', operation: 'flat', handler: async () => ({ message: 'héllo' }) },
      { method: 'GET', path: '/none', operation: 'none', handler: async () => undefined },
      {
        method: 'GET', path: '/seen', operation: 'seen', handler: async (_req, ctx) => {
          const { res, req } = ctx as HttpContext;
          seen.unaryReply = (ctx as HttpContext).unaryReply;
          seen.closeListeners = res.listenerCount('close');
          seen.requestListeners = (req.socket as unknown as { server: { listenerCount(e: string): number } }).server.listenerCount('request');
          return {};
        },
      },
      { method: 'GET', path: '/stream', operation: 'stream', stream: true, handler: async (_req, ctx) => (async function* () { yield { unaryReply: (ctx as HttpContext).unaryReply }; })() },
    ]));
  });
  after(() => s.stop());

  it('should send the reply as the exact UTF-8 bytes of its JSON, under their length in bytes', async () => {
    const r = await raw(`${url}/wide`);
    const expected = Buffer.from(JSON.stringify(WIDE), 'utf8');
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/json');
    assert.equal(r.headers['content-length'], String(expected.length));
    assert.ok(expected.length > JSON.stringify(WIDE).length, 'the body has characters of more than one byte');
    assert.deepEqual(r.body, expected);
  });

  it('should send a reply larger than the joined-write limit whole', async () => {
    const r = await raw(`${url}/large`);
    const expected = Buffer.from(JSON.stringify(LARGE), 'utf8');
    assert.equal(r.headers['content-length'], String(expected.length));
    assert.deepEqual(r.body, expected);
  });

  it('should answer HEAD with the length of the body GET sends, and no body', async () => {
    const r = await raw(`${url}/wide`, 'HEAD');
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-length'], String(Buffer.byteLength(JSON.stringify(WIDE))));
    assert.equal(r.body.length, 0);
  });

  it('should still send no body for a reply of undefined', async () => {
    const r = await raw(`${url}/none`);
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-length'], '0');
    assert.equal(r.body.length, 0);
  });

  it('should still write the codec the client accepts when it is not JSON', async () => {
    const r = await raw(`${url}/flat`, 'GET', 'application/x-www-form-urlencoded');
    assert.equal(r.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.equal(r.body.toString('utf8'), 'message=h%C3%A9llo');
  });

  it('should mark a one-reply route unaryReply and a streaming one not', async () => {
    await raw(`${url}/seen`);
    assert.equal(seen.unaryReply, true);
    const line = (await raw(`${url}/stream`)).body.toString('utf8').trim();
    assert.deepEqual(JSON.parse(line), { result: { unaryReply: false } });
  });

  // Nothing per request until someone asks for the signal: the stop asks node which connections are busy.
  it('should put no close listener on a response nobody asks the signal of, and one request listener on the server', async () => {
    await raw(`${url}/seen`);
    assert.equal(seen.closeListeners, 0);
    assert.equal(seen.requestListeners, 1);
  });
});

describe('HttpServer with a JSON codec whose marshal is its own', () => {
  it('should send what that marshal writes, not the built-in JSON text', async () => {
    class Shouting extends JsonCodec {
      override marshal(value: unknown): Buffer {
        return Buffer.from(JSON.stringify(value).toUpperCase(), 'utf8');
      }
    }
    const codecs = defaultCodecs();
    codecs.register(new Shouting());
    const { s, url } = await started([{ method: 'GET', path: '/a', operation: 'a', handler: async () => ({ message: 'quiet' }) }], { codecs });
    try {
      const r = await raw(`${url}/a`);
      assert.equal(r.body.toString('utf8'), '{"MESSAGE":"QUIET"}');
      assert.equal(r.headers['content-length'], '19');
    } finally {
      await s.stop();
    }
  });
});
