import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { connect as h2connect } from 'node:http2';
import { connect } from 'node:net';
import { Module, Rpc, Service } from '../../../decorators/index.js';
import { createTestApp, type TestApp } from '../../../lib/testing/index.js';
import { cors } from '../../../lib/transport/http/index.js';
import { repoPath } from '../../helpers/echo-service.js';

const proto = repoPath('test/fixtures/proto/library/v1/library.proto');
const include = repoPath('test/fixtures/proto/include');

@Service({ proto, name: 'library.v1.Library' })
class Library {
  @Rpc() async getBook(req: { name: string }) { return { name: req.name }; }
  @Rpc() async createBook(req: { book: object }) { return req.book; }
  @Rpc() async updateBook(req: { book: object }) { return req.book; }
  @Rpc() async deleteBook() { return {}; }
  @Rpc() async listBooks() { return { books: [] }; }
  @Rpc() async moveBook(req: { name: string }) { return { name: req.name }; }
  @Rpc() async readFile(req: { path: string }) { return { name: req.path }; }
  @Rpc() async *watch() { yield {}; }
  @Rpc() async upload() { return {}; }
  @Rpc() async *sync() { yield {}; }
}
@Module({ services: [Library] }) class M {}

type Probe = { name: string; send: () => Promise<number | string> };

describe('hostile input', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(M, {
      protoPaths: [include],
      http: { headersTimeout: 300, requestTimeout: 600, filters: [cors({ origins: ['https://app.example.com'] })] },
      config: { server: { http: { timeout: '2s' } } },
    });
  });
  after(() => t.close());

  const post = async (body: string | Buffer, contentType: string, path = '/v1/shelves/1/books') =>
    (await fetch(`${t.httpUrl}${path}`, { method: 'POST', body, headers: { 'content-type': contentType } })).status;
  const healthy = async () => {
    const res = await fetch(`${t.httpUrl}/v1/shelves/1/books/2`);
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { name: string }).name, 'shelves/1/books/2');
  };
  const raw = (text: string, waitMs = 2000) => new Promise<string>((resolve) => {
    const s = connect(t.app.http?.port ?? 0, '127.0.0.1', () => s.write(text));
    let out = '';
    s.setEncoding('utf8').on('data', (d: string) => (out += d));
    s.on('close', () => resolve(out));
    s.on('error', () => resolve(out));
    setTimeout(() => s.destroy(), waitMs);
  });
  const grpcRaw = (frame: Buffer) => new Promise<string>((resolve) => {
    const session = h2connect(`http://${t.grpcAddress}`);
    session.on('error', () => resolve('session error'));
    const req = session.request({ ':method': 'POST', ':path': '/library.v1.Library/GetBook', 'content-type': 'application/grpc', te: 'trailers' });
    let status = '';
    req.on('response', (h) => { if (h['grpc-status'] !== undefined) status = String(h['grpc-status']); });
    req.on('trailers', (h) => (status = String(h['grpc-status'])));
    req.on('close', () => { session.close(); resolve(status); });
    req.on('error', () => undefined);
    req.end(frame);
  });

  const corpus: Probe[] = [
    { name: 'malformed JSON', send: () => post('{"title": ', 'application/json') },
    { name: 'malformed proto', send: () => post(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0xff]), 'application/x-protobuf') },
    { name: 'malformed form value', send: () => post('pages=lots', 'application/x-www-form-urlencoded', '/v1/books/b1') },
    { name: 'a 10 MB body', send: () => post(Buffer.alloc(10 * 1024 * 1024, 0x61), 'application/json') },
    { name: 'deeply nested JSON', send: () => post(`${'['.repeat(100_000)}${']'.repeat(100_000)}`, 'application/json') },
    { name: 'prototype pollution in the body', send: () => post('{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},"title":"x"}', 'application/json') },
    { name: 'a unicode-escaped __proto__', send: () => post('{"\\u005f_proto__":{"polluted":1}}', 'application/json') },
    { name: 'prototype pollution in the query', send: async () => (await fetch(`${t.httpUrl}/v1/shelves/1/books?__proto__.polluted=1&constructor.prototype.polluted=1`)).status },
    { name: 'prototype pollution in the path', send: async () => (await fetch(`${t.httpUrl}/v1/shelves/__proto__/books/constructor`)).status },
    { name: 'huge headers', send: async () => (await raw(`GET /v1/shelves/1/books/2 HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n`)).slice(9, 12) },
    { name: 'a wrong content type', send: () => post('a,b,c', 'text/csv') },
    { name: 'invalid UTF-8', send: () => post(Buffer.from([0x7b, 0x22, 0x74, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), 'application/json') },
    { name: 'a request line that is not HTTP', send: async () => (await raw('HELLO WORLD\r\n\r\n')).slice(9, 12) },
    { name: 'a slowloris head', send: async () => (await raw('GET /v1/shelves/1/books/2 HTTP/1.1\r\nHost: x\r\nX-Slow: ', 3000)).slice(9, 12) },
    { name: 'a truncated gRPC frame', send: () => grpcRaw(Buffer.from([0, 0, 0, 0, 100, 0x0a, 0x02])) },
    { name: 'a gRPC frame with garbage', send: () => grpcRaw(Buffer.from([0, 0, 0, 0, 3, 0xff, 0xff, 0xff])) },
  ];

  for (const probe of corpus) {
    it(`should answer ${probe.name} with a clear error and keep serving`, async () => {
      const status = await probe.send();
      const s = String(status);
      const clear = /^4\d\d$/.test(s) || (/^\d+$/.test(s) && Number(s) > 0 && Number(s) < 17) || (s === '200' && /pollution|unicode/.test(probe.name));
      assert.ok(clear, `${probe.name}: got ${s}`);
      assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
      assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);
      await healthy();
    });
  }

  it('should answer CORS preflights only for allowed origins', async () => {
    const ok = await fetch(`${t.httpUrl}/v1/shelves/1/books`, { method: 'OPTIONS', headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' } });
    assert.equal(ok.status, 204);
    assert.equal(ok.headers.get('access-control-allow-origin'), 'https://app.example.com');
    const other = await fetch(`${t.httpUrl}/v1/shelves/1/books/2`, { headers: { origin: 'https://evil.example.com' } });
    assert.equal(other.headers.get('access-control-allow-origin'), null);
  });
});
