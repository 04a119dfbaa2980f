import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { validate } from '@readme/openapi-parser';
import { Module, Rpc, Service } from '../../../../decorators/index.js';
import { generateClient } from '../../../../lib/tools/codegen/index.js';
import { ProtoLoader } from '../../../../lib/proto/index.js';
import { createTestApp, type TestApp } from '../../../../lib/testing/index.js';
import { repoPath } from './codegen-fixtures.js';

type Param = { name: string; in: string; 'x-kratos-field'?: string; 'x-kratos-pattern'?: string; description?: string };
type Op = { operationId: string; parameters?: Param[]; requestBody?: unknown };
type Doc = { paths: Record<string, Record<string, Op>> };

const LIBRARY = repoPath('node_modules/google-proto-files/google/example/library/v1/library.proto');

function openApiOf(file: string, includeDirs: string[] = []): Doc {
  const json = generateClient(new ProtoLoader({ includeDirs }).loadSync(file), file).find((f) => f.path.endsWith('.openapi.json'));
  assert.ok(json !== undefined, `no OpenAPI document for ${file}`);
  return JSON.parse(json.content) as Doc;
}

const operations = (d: Doc): { method: string; path: string; op: Op }[] =>
  Object.entries(d.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ method, path, op })));

// helloworld, the go-kratos example fixtures, googleapis' library example and the reflection fixture.
const documents: [string, string, string[]][] = [
  ['helloworld', repoPath('samples/helloworld/api/helloworld/v1/greeter.proto'), []],
  ['the everything fixture', repoPath('test/fixtures/codegen/demo/v1/everything.proto'), []],
  ['go-kratos blog', repoPath('test/fixtures/kratos-examples/blog/api/blog/v1/blog.proto'), [repoPath('test/fixtures/kratos-examples/blog')]],
  ['go-kratos validate', repoPath('test/fixtures/kratos-examples/validate/api/example.proto'), [repoPath('test/fixtures/kratos-examples/validate')]],
  ['kratos-layout', repoPath('test/fixtures/kratos-examples/layout/api/helloworld/v1/greeter.proto'), [repoPath('test/fixtures/kratos-examples/layout')]],
  ['googleapis library.proto', LIBRARY, []],
  ['the reflection shop fixture', repoPath('test/fixtures/reflection/shop/v1/service.proto'), [repoPath('test/fixtures/reflection')]],
  ['the HttpBody files fixture', repoPath('test/fixtures/reflection/files/v1/files.proto'), [repoPath('test/fixtures/reflection')]],
];

describe('generated OpenAPI documents checked by @readme/openapi-parser', () => {
  for (const [name, file, dirs] of documents) {
    it(`should be a valid OpenAPI 3.0 document for ${name}`, async () => {
      const d = openApiOf(file, dirs);
      const result = await validate(structuredClone(d) as never);
      assert.deepEqual(result.valid ? [] : result.errors, []);
      const ids = operations(d).map((o) => o.op.operationId);
      assert.equal(new Set(ids).size, ids.length, `operationIds repeat: ${ids.join(', ')}`);
    });
  }

  it('should be refused when a path parameter is not declared (the validator is not a no-op)', async () => {
    const d = structuredClone(openApiOf(LIBRARY)) as Doc;
    const get = d.paths['/v1/shelves/{shelf}']?.['get'];
    assert.ok(get !== undefined);
    get.parameters = [];
    const result = await validate(d as never);
    assert.equal(result.valid, false);
    assert.match(JSON.stringify(result.errors), /missing path parameter\(s\) for `\{shelf\}`/);
  });

  it('should list every operation of library.proto, custom verbs and all, none merged into another', () => {
    const ops = operations(openApiOf(LIBRARY)).map((o) => `${o.method.toUpperCase()} ${o.path} ${o.op.operationId}`).sort();
    assert.deepEqual(ops, [
      'DELETE /v1/shelves/{shelf} LibraryService_DeleteShelf',
      'DELETE /v1/shelves/{shelf}/books/{book} LibraryService_DeleteBook',
      'GET /v1/shelves LibraryService_ListShelves',
      'GET /v1/shelves/{shelf} LibraryService_GetShelf',
      'GET /v1/shelves/{shelf}/books LibraryService_ListBooks',
      'GET /v1/shelves/{shelf}/books/{book} LibraryService_GetBook',
      'PATCH /v1/shelves/{shelf}/books/{book} LibraryService_UpdateBook',
      'POST /v1/shelves LibraryService_CreateShelf',
      'POST /v1/shelves/{shelf}/books LibraryService_CreateBook',
      'POST /v1/shelves/{shelf}/books/{book}:move LibraryService_MoveBook',
      'POST /v1/shelves/{shelf}:merge LibraryService_MergeShelves',
    ]);
  });

  it('should mark google.api.field_behavior REQUIRED fields required and OUTPUT_ONLY ones readOnly, as gnostic does', () => {
    const d = openApiOf(repoPath('test/fixtures/reflection/shop/v1/service.proto'), [repoPath('test/fixtures/reflection')]) as Doc & {
      components: { schemas: Record<string, { required?: string[]; properties: Record<string, { readOnly?: boolean }> }> };
    };
    assert.deepEqual(d.components.schemas['shop.v1.Order']?.required, ['shop']);
    assert.equal(d.components.schemas['shop.v1.Order']?.properties['blob']?.readOnly, true);
    assert.deepEqual((openApiOf(LIBRARY) as unknown as { components: { schemas: Record<string, { required?: string[] }> } }).components.schemas['google.example.library.v1.MergeShelvesRequest']?.required, ['name', 'otherShelf']);
  });

  it('should include additional_bindings and custom verbs of the shop fixture', () => {
    const d = openApiOf(repoPath('test/fixtures/reflection/shop/v1/service.proto'), [repoPath('test/fixtures/reflection')]);
    assert.deepEqual(operations(d).map((o) => `${o.method.toUpperCase()} ${o.path} ${o.op.operationId}`), [
      'POST /v1/shops/{shop}/orders Shop_PutOrder',
      'PUT /v1/orders/{id} Shop_PutOrder_1',
      'POST /v1/orders/{id}:copy Shop_PutOrder_2',
    ]);
  });

  it('should describe google.api.HttpBody as raw bytes and ** as a parameter that may contain /', () => {
    const d = openApiOf(repoPath('test/fixtures/reflection/files/v1/files.proto'), [repoPath('test/fixtures/reflection')]) as Doc & { paths: Record<string, Record<string, Op & { responses: Record<string, { content: unknown }>; requestBody?: { content: unknown } }>> };
    const download = d.paths['/v1/buckets/{bucket}/files/{file}:download']?.['get'];
    assert.deepEqual(download?.responses['200']?.content, { '*/*': { schema: { type: 'string', format: 'binary' } } });
    assert.match(download?.parameters?.find((p) => p.name === 'file')?.description ?? '', /may contain '\/'/);
    assert.deepEqual(d.paths['/v1/files:upload']?.['post']?.requestBody?.content, { '*/*': { schema: { type: 'string', format: 'binary' } } });
  });
});

// What a user of the document does: fill the path parameters it lists, and the server must bind them
// to the request fields the document says.
const seen: { rpc: string; req: Record<string, unknown> }[] = [];
function record(rpc: string, req: Record<string, unknown>): object {
  seen.push({ rpc, req });
  return {};
}
@Service({ proto: LIBRARY, name: 'google.example.library.v1.LibraryService' })
class Library {
  @Rpc() async createShelf(req: Record<string, unknown>) { return record('CreateShelf', req); }
  @Rpc() async getShelf(req: Record<string, unknown>) { return record('GetShelf', req); }
  @Rpc() async listShelves(req: Record<string, unknown>) { return record('ListShelves', req); }
  @Rpc() async deleteShelf(req: Record<string, unknown>) { return record('DeleteShelf', req); }
  @Rpc() async mergeShelves(req: Record<string, unknown>) { return record('MergeShelves', req); }
  @Rpc() async createBook(req: Record<string, unknown>) { return record('CreateBook', req); }
  @Rpc() async getBook(req: Record<string, unknown>) { return record('GetBook', req); }
  @Rpc() async listBooks(req: Record<string, unknown>) { return record('ListBooks', req); }
  @Rpc() async deleteBook(req: Record<string, unknown>) { return record('DeleteBook', req); }
  @Rpc() async updateBook(req: Record<string, unknown>) { return record('UpdateBook', req); }
  @Rpc() async moveBook(req: Record<string, unknown>) { return record('MoveBook', req); }
}
@Module({ services: [Library] }) class LibraryModule {}

describe('library.proto OpenAPI operations sent to a kratos-ts server', () => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(LibraryModule, { grpc: false });
  });
  after(() => t.close());

  it('should reach the documented rpc with the documented fields, for every operation', async () => {
    for (const { method, path, op } of operations(openApiOf(LIBRARY))) {
      const url = path.replace(/\{([^}]+)\}/g, (_, p: string) => `v-${p}`);
      const res = await fetch(`${t.httpUrl}${url}`, {
        method: method.toUpperCase(),
        ...(op.requestBody === undefined ? {} : { body: '{}', headers: { 'content-type': 'application/json' } }),
      });
      assert.equal(res.status, 200, `${method} ${url}: ${await res.text()}`);
      const last = seen.pop();
      assert.equal(last?.rpc, op.operationId.replace('LibraryService_', ''));
      for (const p of (op.parameters ?? []).filter((x) => x.in === 'path')) {
        const field = p['x-kratos-field'] ?? p.name;
        const value: unknown = field.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], last?.req);
        const expected = p['x-kratos-pattern'] === undefined ? `v-${p.name}` : (/`([^`]*\{[^`]*)`/.exec(p.description ?? '')?.[1] ?? '').replace(/\{([^}]+)\}/g, 'v-$1');
        assert.equal(value, expected, `${op.operationId}: ${field}`);
      }
    }
  });
});
