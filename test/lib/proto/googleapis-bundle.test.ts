import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module, Rpc, Service } from '../../../decorators/index.js';
import { builtinProtoPaths, googleapisDir, ProtoLoader } from '../../../lib/proto/index.js';
import { createTestApp, type TestApp } from '../../../lib/testing/index.js';
import { createGrpcClient } from '../../../lib/transport/grpc/index.js';
import { repoPath } from '../../helpers/echo-service.js';

// What a Kratos or Google API project imports, by import path, with no third_party/ of its own.
const BUNDLE = [
  'google/api/annotations.proto', 'google/api/http.proto', 'google/api/httpbody.proto', 'google/api/client.proto',
  'google/api/field_behavior.proto', 'google/api/resource.proto', 'google/api/launch_stage.proto', 'google/api/visibility.proto',
  'google/rpc/status.proto', 'google/rpc/code.proto', 'google/rpc/error_details.proto',
  'google/type/date.proto', 'google/type/money.proto', 'google/type/latlng.proto', 'google/type/timeofday.proto',
  'google/type/color.proto', 'google/type/postal_address.proto', 'google/type/interval.proto', 'google/type/expr.proto',
  'google/type/dayofweek.proto', 'google/type/datetime.proto', 'google/type/decimal.proto', 'google/type/month.proto',
  'validate/validate.proto', 'buf/validate/validate.proto', 'errors/errors.proto',
];
const LIBRARY = join(googleapisDir(), 'google/example/library/v1/library.proto');
// protoc's view of the include path: ours and googleapis (protobufjs' copy is for protobufjs only).
const protocIncludes = (): string[] => builtinProtoPaths().slice(0, 2).flatMap((d) => ['-I', d]);

describe('the protos kratos-ts ships', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'bundle-'));
    mkdirSync(join(dir, 'app/v1'), { recursive: true });
    writeFileSync(join(dir, 'app/v1/all.proto'), `syntax = "proto3";\npackage app.v1;\n${BUNDLE.map((p) => `import "${p}";`).join('\n')}\n` +
      'message Place { google.type.LatLng at = 1; google.type.Money fee = 2; google.type.Date day = 3; google.rpc.Status last = 4; google.api.HttpBody raw = 5;\n' +
      '  string id = 6 [(google.api.field_behavior) = REQUIRED, (validate.rules).string.uuid = true]; }\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('should resolve every bundled import path in the loader', async () => {
    const root = await new ProtoLoader().load(join(dir, 'app/v1/all.proto'));
    for (const t of ['google.type.PostalAddress', 'google.type.Interval', 'google.type.Expr', 'google.rpc.BadRequest', 'google.api.ResourceDescriptor', 'validate.FieldRules', 'buf.validate.FieldRules']) assert.ok(root.lookup(t), t);
    assert.deepEqual(Object.keys(root.lookupEnum('google.type.DayOfWeek').values).slice(0, 2), ['DAY_OF_WEEK_UNSPECIFIED', 'MONDAY']);
    assert.equal(root.lookupEnum('google.rpc.Code').values['INVALID_ARGUMENT'], 3);
  });

  it('should compile with protoc on the same include paths (independent oracle)', () => {
    execFileSync('protoc', [...protocIncludes(), '-I', dir, '-o', join(dir, 'all.pb'), '--include_imports', join(dir, 'app/v1/all.proto')]);
    for (const f of ['blog/api/blog/v1/blog.proto', 'blog/api/blog/v1/error_reason.proto', 'validate/api/example.proto', 'layout/api/helloworld/v1/greeter.proto', 'layout/internal/conf/conf.proto']) {
      const root = repoPath(`test/fixtures/kratos-examples/${f.split('/')[0] as string}`);
      execFileSync('protoc', [...protocIncludes(), '-I', root, '-o', join(dir, 'f.pb'), repoPath(`test/fixtures/kratos-examples/${f}`)]);
    }
  });
});

describe('googleapis library.proto (google/example/library/v1, from google-proto-files)', () => {
  let t: TestApp;
  const book = (name: string) => ({ name, author: 'Ursula K. Le Guin', title: 'The Dispossessed', read: true });

  @Service({ proto: LIBRARY, name: 'google.example.library.v1.LibraryService' })
  class Library {
    @Rpc() async createShelf(req: { shelf: { theme: string } }) { return { name: 'shelves/1', theme: req.shelf.theme }; }
    @Rpc() async getShelf(req: { name: string }) { return { name: req.name, theme: 'sf' }; }
    @Rpc() async listShelves() { return { shelves: [], nextPageToken: '' }; }
    @Rpc() async deleteShelf() { return {}; }
    @Rpc() async mergeShelves(req: { name: string }) { return { name: req.name, theme: 'merged' }; }
    @Rpc() async createBook(req: { parent: string; book: { title: string } }) { return { ...book(`${req.parent}/books/9`), title: req.book.title }; }
    @Rpc() async getBook(req: { name: string }) { return book(req.name); }
    @Rpc() async listBooks() { return { books: [], nextPageToken: '' }; }
    @Rpc() async deleteBook() { return {}; }
    @Rpc() async updateBook(req: { book: { name: string; title: string } }) { return { ...book(req.book.name), title: req.book.title }; }
    @Rpc() async moveBook(req: { name: string; otherShelfName: string }) { return book(`${req.otherShelfName}/books/1`); }
  }
  @Module({ services: [Library] }) class M {}

  before(async () => {
    t = await createTestApp(M, { grpc: { addr: '127.0.0.1:0' } });
  });
  after(() => t.close());

  it('should serve its HTTP bindings, patterned names and custom verbs included', async () => {
    const get = await fetch(`${t.httpUrl}/v1/shelves/3/books/7`);
    assert.deepEqual(await get.json(), book('shelves/3/books/7'));
    const shelf = await fetch(`${t.httpUrl}/v1/shelves/3`);
    assert.deepEqual(await shelf.json(), { name: 'shelves/3', theme: 'sf' });
    const move = await fetch(`${t.httpUrl}/v1/shelves/3/books/7:move`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ otherShelfName: 'shelves/4' }) });
    assert.equal(((await move.json()) as { name: string }).name, 'shelves/4/books/1');
    const patch = await fetch(`${t.httpUrl}/v1/shelves/3/books/7`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'Lathe' }) });
    assert.equal(((await patch.json()) as { title: string }).title, 'Lathe');
  });

  it('should serve it over gRPC', async () => {
    const c = createGrpcClient({ proto: LIBRARY, name: 'google.example.library.v1.LibraryService' }, { endpoint: t.grpcAddress });
    try {
      assert.deepEqual(await c['getBook']?.({ name: 'shelves/1/books/2' }), book('shelves/1/books/2'));
    } finally {
      c.close();
    }
  });
});
