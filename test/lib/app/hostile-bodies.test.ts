import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Module, Rpc, Service } from '../../../decorators/index.js';
import { createTestApp, type TestApp } from '../../../lib/testing/index.js';
import * as grpc from '@grpc/grpc-js';
import { deepProto, hostileCorpus, TREE_PROTO, type HostileBody } from '../../helpers/hostile-corpus.js';

@Service({ proto: TREE_PROTO, name: 'hostile.v1.Tree' })
class Tree {
  @Rpc() async plant(req: { name: string }) { return { name: req.name }; }
  @Rpc() async find(req: { name: string }) { return { name: req.name }; }
}
@Module({ services: [Tree] }) class M {}

/** Generous bound on the server's CPU for one hostile request: an outcome check, not a benchmark. */
const CPU_BOUND_MS = 200;

async function send(t: TestApp, probe: HostileBody): Promise<{ status: number; body: Record<string, unknown> }> {
  const url = probe.codec === 'path' ? `${t.httpUrl}/v1/tree/${probe.path}`
    : probe.codec === 'query' ? `${t.httpUrl}/v1/tree/x?${probe.query}` : `${t.httpUrl}/v1/tree`;
  const init: RequestInit = probe.codec === 'path' || probe.codec === 'query'
    ? {}
    : { method: 'POST', body: probe.body, headers: { 'content-type': probe.contentType } };
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
}

function cpuMs(from: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1000;
}

describe('hostile bodies within the body limit', () => {
  let plain: TestApp;
  let markup: TestApp;
  before(async () => {
    plain = await createTestApp(M, { config: { server: { http: { timeout: '5s' } } } });
    markup = await createTestApp(M, { http: { markupBodies: true }, config: { server: { http: { timeout: '5s' } } } });
  });
  after(async () => {
    await plain.close();
    await markup.close();
  });

  const alive = async (t: TestApp) => {
    const res = await fetch(`${t.httpUrl}/v1/tree`, { method: 'POST', body: 'name=ok&child.child.name=deep&tags=a&tags=b', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(res.status, 200);
    assert.equal(((await res.json()) as { name: string }).name, 'ok');
  };

  for (const probe of hostileCorpus()) {
    it(`should refuse ${probe.name} (${probe.codec}) with ${probe.status}, in bounded CPU, and keep serving`, async () => {
      const before = process.cpuUsage();
      const { status, body } = await send(plain, probe);
      const spent = cpuMs(before);
      assert.equal(status, probe.status, `${probe.name}: ${JSON.stringify(body).slice(0, 300)}`);
      if (probe.status === 400 && probe.limit !== undefined) {
        assert.equal(body['reason'], 'CODEC');
        const limit = (body['metadata'] as Record<string, string>)['limit'] ?? '';
        assert.match(limit, new RegExp(`^(${probe.limit})$`), String(body['message']));
        assert.ok(String(body['message']).includes(limit), String(body['message']));
      }
      // The test client shares this process; its own share (sending at most 1 MiB) is small.
      assert.ok(spent < CPU_BOUND_MS, `${probe.name}: ${spent.toFixed(0)} ms of CPU`);
      await alive(plain);
    });
  }

  for (const probe of hostileCorpus().filter((p) => p.markupStatus !== undefined)) {
    it(`should refuse ${probe.name} with ${probe.markupStatus} when YAML/XML bodies are on`, async () => {
      const before = process.cpuUsage();
      const { status, body } = await send(markup, probe);
      const spent = cpuMs(before);
      assert.equal(status, probe.markupStatus, `${probe.name}: ${JSON.stringify(body).slice(0, 300)}`);
      if (probe.limit !== undefined) assert.match((body['metadata'] as Record<string, string>)['limit'] ?? '', new RegExp(`^(${probe.limit})$`), String(body['message']));
      assert.ok(spent < CPU_BOUND_MS, `${probe.name}: ${spent.toFixed(0)} ms of CPU`);
      await alive(markup);
    });
  }

  it('should read ordinary YAML and XML bodies only where they are turned on', async () => {
    const yaml = { method: 'POST', body: 'name: from-yaml\ntags: [a, b]\n', headers: { 'content-type': 'application/yaml' } };
    const off = await fetch(`${plain.httpUrl}/v1/tree`, yaml);
    assert.equal(off.status, 415);
    assert.match(((await off.json()) as { message: string }).message, /markupBodies/);
    const on = await fetch(`${markup.httpUrl}/v1/tree`, yaml);
    assert.equal(on.status, 200);
    assert.equal(((await on.json()) as { name: string }).name, 'from-yaml');
    const xml = await fetch(`${markup.httpUrl}/v1/tree`, { method: 'POST', body: '<Node><name>from-xml</name></Node>', headers: { 'content-type': 'application/xml' } });
    assert.equal(((await xml.json()) as { name: string }).name, 'from-xml');
    const reply = await fetch(`${plain.httpUrl}/v1/tree/abc`, { headers: { accept: 'application/yaml' } });
    assert.equal(await reply.text(), 'name: abc\nchild: null\ntags: []\nchildren: []\nkids: {}\nids: []\n', 'YAML replies stay available');
  });

  it('should refuse a gRPC message nested 100k deep in bounded CPU, and keep serving', async () => {
    const client = new grpc.Client(plain.grpcAddress, grpc.credentials.createInsecure());
    const before = process.cpuUsage();
    const error = await new Promise<grpc.ServiceError | null>((resolve) => {
      client.makeUnaryRequest('/hostile.v1.Tree/Find', (b: Buffer) => b, (b: Buffer) => b, deepProto(100_000), new grpc.Metadata(),
        (err) => resolve(err));
    });
    const spent = cpuMs(before);
    client.close();
    assert.equal(error?.code, grpc.status.INVALID_ARGUMENT, error?.details);
    assert.match(error?.details ?? '', /maxDepth/);
    assert.ok(spent < CPU_BOUND_MS, `${spent.toFixed(0)} ms of CPU`);
    await alive(plain);
  });

  it('should turn YAML and XML bodies on from config (server.http.markup_bodies), with their smaller limit', async () => {
    const t = await createTestApp(M, { config: { server: { http: { markup_bodies: true } } } });
    try {
      const ok = await fetch(`${t.httpUrl}/v1/tree`, { method: 'POST', body: 'name: from-config\n', headers: { 'content-type': 'application/x-yaml' } });
      assert.equal(((await ok.json()) as { name: string }).name, 'from-config');
      const big = await fetch(`${t.httpUrl}/v1/tree`, { method: 'POST', body: `name: ${'x'.repeat(40 * 1024)}\n`, headers: { 'content-type': 'application/x-yaml' } });
      assert.equal(big.status, 413, '32 KiB by default for YAML/XML');
    } finally {
      await t.close();
    }
  });

  it('should decode path parameters with valid percent-encoding', async () => {
    const res = await fetch(`${plain.httpUrl}/v1/tree/a%20b%E2%9C%93`);
    assert.equal(((await res.json()) as { name: string }).name, 'a b✓');
  });
});
