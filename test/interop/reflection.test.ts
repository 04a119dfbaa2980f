import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Module, Rpc, Service } from '../../decorators/index.js';
import { createTestApp, type TestApp } from '../../lib/testing/index.js';
import { repoPath } from '../helpers/echo-service.js';

const run = promisify(execFile);
const fixtures = repoPath('test/fixtures/reflection');
const library = repoPath('node_modules/google-proto-files/google/example/library/v1/library.proto');

@Service({ proto: `${fixtures}/shop/v1/service.proto`, name: 'shop.v1.Shop' })
class Shop {
  @Rpc() async putOrder(req: object) { return req; }
  @Rpc() async *watch() { yield {}; }
  @Rpc() async upload() { return {}; }
  @Rpc() async *chat() { yield {}; }
}
@Service({ proto: `${fixtures}/catalog/v1/service.proto`, name: 'catalog.v1.Catalog' })
class Catalog {
  @Rpc() async get(req: object) { return req; }
}
@Service({ proto: library, name: 'google.example.library.v1.LibraryService' })
class Library {
  @Rpc() async createShelf(req: { shelf: object }) { return req.shelf; }
  @Rpc() async getShelf() { return {}; }
  @Rpc() async listShelves() { return {}; }
  @Rpc() async deleteShelf() { return {}; }
  @Rpc() async mergeShelves() { return {}; }
  @Rpc() async createBook() { return {}; }
  @Rpc() async getBook() { return {}; }
  @Rpc() async listBooks() { return {}; }
  @Rpc() async deleteBook() { return {}; }
  @Rpc() async updateBook() { return {}; }
  @Rpc() async moveBook() { return {}; }
}
@Module({ services: [Shop, Catalog, Library] }) class M {}

// A request touching every shape: maps (string, int64 keys; message, enum, Value values), nested
// messages and enums, a oneof, proto3 optional set to its default, every well-known type, a value above 2^53.
const order = {
  orderId: 'o-1',
  shop: 'shops/s1',
  items: [{ sku: 'AB-1', quantity: 2, labels: { color: 'red' } }],
  itemsBySku: { 'AB-1': { sku: 'AB-1', quantity: 2 } },
  statusHistory: { '1700000000': 'STATUS_OPEN', '-5': 'STATUS_CLOSED' },
  status: 'STATUS_CLOSED',
  channel: 'CHANNEL_WEB',
  note: '',
  version: '9007199254740993',
  wallet: { provider: 'pay', attributes: { tier: 'gold', n: 3, ok: true, list: [1, 'a'], nil: null } },
  createdAt: '2026-11-27T13:00:00.500Z',
  ttl: '3600s',
  extra: { a: { b: [1, 2] } },
  detail: { '@type': 'type.googleapis.com/catalog.v1.Product', name: 'p', price: { currencyCode: 'EUR', units: '12', nanos: 5 } },
  totalCents: '1234',
  mask: 'items,createdAt',
  weights: [0.5, 1.25],
  blob: 'AAEC',
  featured: { name: 'f', price: { currencyCode: 'USD', units: '-3' } },
};

async function reflect(t: TestApp, version: string, method: string, request: object): Promise<Record<string, unknown>> {
  const script = fileURLToPath(new URL('../../../test/interop/reflection_client.py', import.meta.url));
  const port = t.grpcAddress.split(':').pop() as string;
  const { stdout } = await run('/usr/bin/python3', [script, port, version, method, JSON.stringify(request)], { timeout: 30_000 });
  return JSON.parse(stdout) as Record<string, unknown>;
}

describe('server reflection seen by python3-protobuf descriptor pools (grpcurl-style client)', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(M, { http: false, protoPaths: [fixtures] });
  });
  after(() => t.close());

  for (const version of ['v1', 'v1alpha']) {
    it(`should serve (${version}) files python loads whole, and answer a call built only from them`, async () => {
      const out = await reflect(t, version, 'shop.v1.Shop/PutOrder', order);
      assert.deepEqual(out['services'], ['catalog.v1.Catalog', 'google.example.library.v1.LibraryService', 'grpc.health.v1.Health', 'grpc.reflection.v1.ServerReflection', 'grpc.reflection.v1alpha.ServerReflection', 'shop.v1.Shop']);
      const files = out['files'] as string[];
      // Two service.proto of different packages stay two files, named by import path.
      for (const f of ['shop/v1/service.proto', 'catalog/v1/service.proto', 'google/example/library/v1/library.proto', 'google/api/client.proto', 'validate/validate.proto', 'google/protobuf/struct.proto']) {
        assert.ok(files.includes(f), `${f} not served: ${files.join(', ')}`);
      }
      assert.equal(out['unknown_symbol'], 5);
      assert.deepEqual(out['http_extension_file'], ['google/api/annotations.proto']);
      assert.ok((out['field_option_extensions'] as number[]).includes(1071), 'validate.rules (1071) listed for FieldOptions');
      assert.ok((out['field_option_extensions'] as number[]).includes(1052), 'google.api.field_behavior (1052) listed for FieldOptions');
      assert.deepEqual(out['http_rule'], {
        post: '/v1/{shop=shops/*}/orders', body: '*',
        additional_bindings: [{ put: '/v1/orders/{id}', body: '*' }, { post: '/v1/orders/{id}:copy', body: 'items' }],
      });
      assert.deepEqual(out['reply'], out['sent']);
      assert.equal(out['reply_equals_request'], true);
      assert.equal((out['sent'] as { version: string }).version, '9007199254740993');
    });
  }

  it('should let the reflected library.proto descriptors call LibraryService.CreateShelf', async () => {
    const out = await reflect(t, 'v1', 'google.example.library.v1.LibraryService/CreateShelf', { shelf: { name: 'shelves/1', theme: 'sci-fi' } });
    assert.deepEqual(out['reply'], { name: 'shelves/1', theme: 'sci-fi' });
    assert.deepEqual(out['http_rule'], { post: '/v1/shelves', body: 'shelf' });
  });
});
