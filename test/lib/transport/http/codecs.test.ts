import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KratosError } from '../../../../lib/errors/index.js';
import type { Handler } from '../../../../lib/middleware/index.js';
import {
  HttpServer,
  type ErrorEncoder,
  type HttpRoute,
  type RequestDecoder,
  type ResponseEncoder,
} from '../../../../lib/transport/http/index.js';
import { RefusedRequest } from '../../../../lib/transport/index.js';

// A response envelope as many teams use with Kratos (`{code, message, data}`), always JSON.
const envelope: ResponseEncoder = (reply) => ({
  contentType: 'application/json',
  bytes: Buffer.from(JSON.stringify({ code: 0, message: 'ok', data: reply ?? null })),
});

// Errors in the same envelope, always answered with 200 and the error in the body.
const envelopeError: ErrorEncoder = (e) => ({
  status: 200,
  contentType: 'application/json',
  bytes: Buffer.from(JSON.stringify({ code: e.code, message: e.message, reason: e.reason })),
});

// A decoder for a text body: the request is `{ text, query }`.
const textDecoder: RequestDecoder = (raw) => ({ text: raw.body.toString('utf8'), query: raw.query });

function route(path: string, handler: Handler, extra: Partial<HttpRoute> = {}): HttpRoute {
  return { method: extra.method ?? 'POST', path, operation: path, handler, ...extra };
}

describe('pluggable HTTP codecs', () => {
  describe('a server with its own response and error encoders', () => {
    let s: HttpServer;
    let url: string;
    before(async () => {
      s = new HttpServer({ addr: '127.0.0.1:0', timeout: 200, responseEncoder: envelope, errorEncoder: envelopeError });
      s.route(route('/echo', async (req) => req));
      s.route(route('/fail', async () => { throw new KratosError(409, 'TAKEN', 'name taken'); }));
      s.route(route('/crash', async () => { throw new Error('secret detail'); }));
      s.route(route('/slow', (_req, ctx) => new Promise((r) => ctx.signal.addEventListener('abort', r)), { method: 'GET' }));
      // One route keeps its own formats: a text decoder, a plain-text encoder and the Kratos error body.
      s.route(route('/text', async (req) => req, {
        decode: textDecoder,
        encode: (reply) => ({ contentType: 'text/plain', bytes: Buffer.from(JSON.stringify(reply)) }),
        encodeError: (e) => ({ contentType: 'text/plain', bytes: Buffer.from(`${e.reason}: ${e.message}`) }),
      }));
      // An error encoder that fails: the server falls back to the Kratos error body and keeps serving.
      s.route(route('/broken', async () => { throw new KratosError(422, 'BAD', 'bad'); }, { encodeError: () => { throw new Error('encoder bug'); } }));
      await s.start();
      url = `http://127.0.0.1:${s.port}`;
    });
    after(() => s.stop());

    it('should answer with the Kratos error body when an error encoder throws', async () => {
      const res = await fetch(`${url}/broken`, { method: 'POST' });
      assert.equal(res.status, 422);
      assert.deepEqual(await res.json(), { code: 422, reason: 'BAD', message: 'bad', metadata: {} });
    });

    it('should wrap replies with the server response encoder', async () => {
      const res = await fetch(`${url}/echo?x=1`, { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json' } });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'application/json');
      assert.deepEqual(await res.json(), { code: 0, message: 'ok', data: { a: 1, x: '1' } });
    });

    it('should write handler errors, decode failures, unknown paths and timeouts with the server error encoder', async () => {
      const cases: [string, RequestInit, unknown][] = [
        ['/fail', { method: 'POST' }, { code: 409, message: 'name taken', reason: 'TAKEN' }],
        ['/echo', { method: 'POST', body: '{bad', headers: { 'content-type': 'application/json' } }, { code: 400, reason: 'CODEC' }],
        ['/nowhere', { method: 'GET' }, { code: 404, reason: 'NOT_FOUND' }],
        ['/echo', { method: 'GET' }, { code: 405, reason: 'METHOD_NOT_ALLOWED' }],
        ['/slow', { method: 'GET' }, { code: 504, reason: 'TIMEOUT' }],
      ];
      for (const [path, init, want] of cases) {
        const res = await fetch(`${url}${path}`, init);
        assert.equal(res.status, 200, path);
        const body = (await res.json()) as Record<string, unknown>;
        for (const [k, v] of Object.entries(want as Record<string, unknown>)) assert.equal(body[k], v, `${path} ${k}`);
      }
    });

    it('should hand the encoder the error as clients may see it (internal detail removed)', async () => {
      const body = (await (await fetch(`${url}/crash`, { method: 'POST' })).json()) as { code: number; message: string };
      assert.equal(body.code, 500);
      assert.doesNotMatch(body.message, /secret detail/);
    });

    it('should let one route override the decoder and both encoders', async () => {
      const ok = await fetch(`${url}/text?q=1`, { method: 'POST', body: 'hello', headers: { 'content-type': 'text/plain' } });
      assert.equal(ok.headers.get('content-type'), 'text/plain');
      assert.deepEqual(JSON.parse(await ok.text()), { text: 'hello', query: 'q=1' });
      const big = await fetch(`${url}/text`, { method: 'POST', body: 'x'.repeat(2 << 20), headers: { 'content-type': 'text/plain' } });
      assert.equal(big.status, 413);
      assert.equal(await big.text(), 'REQUEST_TOO_LARGE: request body larger than 1048576 bytes');
    });
  });

  describe('a request the server cannot decode', () => {
    let s: HttpServer;
    let url: string;
    const seen: unknown[] = [];
    before(async () => {
      s = new HttpServer({ addr: '127.0.0.1:0' });
      // A handler that takes refusals sees a RefusedRequest and decides; one that does not is never called.
      s.route(route('/aware', async (req) => {
        seen.push(req);
        if (req instanceof RefusedRequest) throw req.error;
        return req;
      }, { acceptsRefused: true }));
      s.route(route('/plain', async (req) => (seen.push(req), req)));
      await s.start();
      url = `http://127.0.0.1:${s.port}`;
    });
    after(() => s.stop());

    it('should pass a RefusedRequest to a handler that accepts it, and answer for one that does not', async () => {
      const bad = { method: 'POST', body: '[1,2]', headers: { 'content-type': 'application/json' } };
      const aware = await fetch(`${url}/aware`, bad);
      assert.equal(aware.status, 400);
      assert.equal(((await aware.json()) as { reason: string }).reason, 'CODEC');
      assert.equal(seen.length, 1);
      assert.ok(seen[0] instanceof RefusedRequest && KratosError.isKratosError(seen[0].error));
      const plain = await fetch(`${url}/plain`, bad);
      assert.equal(plain.status, 400);
      assert.equal(((await plain.json()) as { reason: string }).reason, 'CODEC');
      assert.equal(seen.length, 1, 'the plain handler was not called');
    });
  });
});
