import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Module, Rpc, Service } from '../../../../decorators/index.js';
import { createTestApp, type TestApp } from '../../../../lib/testing/index.js';
import { createGrpcClient } from '../../../../lib/transport/grpc/index.js';
import { repoPath } from '../../../helpers/echo-service.js';

const proto = repoPath('test/fixtures/httpbody/files.proto');
const store = new Map<string, { contentType: string; data: Buffer }>();

@Service({ proto, name: 'files.v1.Files' })
class Files {
  @Rpc() async upload(req: { name: string; file: { contentType: string; data: Buffer } }) {
    store.set(req.name, { contentType: req.file.contentType, data: Buffer.from(req.file.data) });
    return { name: req.name, contentType: req.file.contentType, size: String(req.file.data.length) };
  }
  @Rpc() async download(req: { name: string }) {
    return store.get(req.name) ?? { contentType: '', data: Buffer.alloc(0) };
  }
  @Rpc() async echo(req: { contentType: string; data: Buffer }) {
    return { contentType: req.contentType, data: req.data };
  }
}

@Module({ services: [Files] }) class M {}

describe('google.api.HttpBody over HTTP (as grpc-gateway)', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(M, { grpc: { addr: '127.0.0.1:0' } });
  });
  after(() => t.close());

  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 255]);

  it('should take an upload body field as raw bytes with its own content type, even one no codec knows', async () => {
    const res = await fetch(`${t.httpUrl}/v1/files/logo.png`, { method: 'POST', headers: { 'content-type': 'image/png' }, body: png });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { name: 'logo.png', contentType: 'image/png', size: '10' });
  });

  it('should send a download reply as its bytes under its content type', async () => {
    const res = await fetch(`${t.httpUrl}/v1/files/logo.png`, { headers: { accept: 'application/json' } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/png');
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), png);
  });

  it('should default a reply without content type to application/octet-stream', async () => {
    const res = await fetch(`${t.httpUrl}/v1/files/missing`);
    assert.equal(res.headers.get('content-type'), 'application/octet-stream');
    assert.equal((await res.arrayBuffer()).byteLength, 0);
  });

  it('should bind a whole HttpBody request (body "*") and echo it raw', async () => {
    const csv = 'a,b\n1,2\n';
    const res = await fetch(`${t.httpUrl}/v1/echo`, { method: 'POST', headers: { 'content-type': 'text/csv; charset=utf-8' }, body: csv });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/csv; charset=utf-8');
    assert.equal(await res.text(), csv);
  });

  it('should serve the same rpcs as plain messages over gRPC', async () => {
    const c = createGrpcClient({ proto, name: 'files.v1.Files' }, { endpoint: t.grpcAddress });
    try {
      const r = (await c['download']?.({ name: 'logo.png' })) as { contentType: string; data: Buffer };
      assert.equal(r.contentType, 'image/png');
      assert.deepEqual(Buffer.from(r.data), png);
    } finally {
      c.close();
    }
  });
});

describe('google.api.HttpBody in the typed HTTP client', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(M);
  });
  after(() => t.close());

  it('should upload and download raw bytes under their content type', async () => {
    const { ProtoLoader } = await import('../../../../lib/proto/index.js');
    const { createProtoHttpClient } = await import('../../../../lib/transport/http/index.js');
    const c = createProtoHttpClient(new ProtoLoader().serviceSync(proto, 'files.v1.Files'), { endpoint: t.httpUrl });
    try {
      const pdf = Buffer.from('%PDF-1.7\n\u0000\u00ff', 'latin1');
      assert.deepEqual(await c['upload']?.({ name: 'doc.pdf', file: { contentType: 'application/pdf', data: pdf } }), { name: 'doc.pdf', contentType: 'application/pdf', size: String(pdf.length) });
      const got = (await c['download']?.({ name: 'doc.pdf' })) as { contentType: string; data: Buffer };
      assert.equal(got.contentType, 'application/pdf');
      assert.deepEqual(Buffer.from(got.data), pdf);
      const echo = (await c['echo']?.({ contentType: 'text/plain', data: Buffer.from('hi') })) as { contentType: string; data: Buffer };
      assert.deepEqual([echo.contentType, Buffer.from(echo.data).toString()], ['text/plain', 'hi']);
    } finally {
      c.close();
    }
  });
});
