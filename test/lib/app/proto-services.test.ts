import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Module, Rpc, Service } from '../../../decorators/index.js';
import { createApp } from '../../../lib/app/index.js';
import { FrameworkError, KratosError, notFound } from '../../../lib/errors/index.js';
import { NoopLogger } from '../../../lib/log/index.js';
import { ProtoLoader } from '../../../lib/proto/index.js';
import { createTestApp, type TestApp } from '../../../lib/testing/index.js';
import { createGrpcClient } from '../../../lib/transport/grpc/index.js';
import { createProtoHttpClient } from '../../../lib/transport/http/index.js';
import { repoPath } from '../../helpers/echo-service.js';

type Book = { name: string; title: string; pages: string; tags: string[]; labels: Record<string, string>; genre: string };
const proto = repoPath('test/fixtures/proto/library/v1/library.proto');
const include = repoPath('test/fixtures/proto/include');
const seen: unknown[] = [];

@Service({ proto, name: 'library.v1.Library' })
class LibraryService {
  @Rpc() async getBook(req: { name: string }) {
    if (req.name.endsWith('/0')) throw notFound('BOOK_NOT_FOUND', `no ${req.name}`).withMetadata({ name: req.name });
    return { name: req.name, title: 'Dune', pages: '412' };
  }
  @Rpc() async createBook(req: unknown) { seen.push(req); return (req as { book: Book }).book; }
  @Rpc() async updateBook(req: unknown) { seen.push(req); return (req as { book: Book }).book; }
  @Rpc() async deleteBook() { return {}; }
  @Rpc() async listBooks(req: unknown) { seen.push(req); return { books: [{ name: 'b1' }, { name: 'b2' }], nextPageToken: 'n' }; }
  @Rpc() async moveBook(req: { name: string }) { return { name: `moved:${req.name}` }; }
  @Rpc() async readFile(req: { path: string }) { return { name: req.path }; }
  @Rpc() async *watch(req: { name: string }) { for (let i = 0; i < 3; i++) yield { name: `${req.name}#${i}` }; }
  @Rpc() async upload(req: AsyncIterable<Book>) { const n: string[] = []; for await (const b of req) n.push(b.name); return { name: n.join(',') }; }
  @Rpc() async *sync(req: AsyncIterable<Book>) { for await (const b of req) yield { name: b.name.toUpperCase() }; }
}

@Module({ services: [LibraryService] })
class LibraryModule {}

describe('proto services', () => {
  let t: TestApp;
  const last = () => seen[seen.length - 1] as Record<string, unknown>;
  before(async () => {
    t = await createTestApp(LibraryModule, { protoPaths: [include] });
  });
  after(() => t.close());

  const http = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(`${t.httpUrl}${path}`, { method, headers: { 'content-type': 'application/json', ...headers }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });

  describe('google.api.http routes (§3)', () => {
    it('should bind a segment-pattern path variable, matched by segment', async () => {
      assert.deepEqual(await (await http('GET', '/v1/shelves/1/books/2')).json(), {
        name: 'shelves/1/books/2', title: 'Dune', pages: '412', published: null, tags: [], labels: {}, genre: 'GENRE_UNSPECIFIED',
      });
      assert.equal((await http('GET', '/v1/shelves/1/x/books/2')).status, 404);
    });

    it('should decode a body field, then query, then path variables', async () => {
      const res = await http('POST', '/v1/shelves/7/books?request_id=r1&book.title=from-query', { title: 'from-body', pages: '10', genre: 'GENRE_FICTION' });
      assert.equal(res.status, 200);
      const req = last() as { parent: string; requestId: string; book: Book };
      assert.equal(req.parent, 'shelves/7');
      assert.equal(req.requestId, 'r1');
      assert.equal(req.book.title, 'from-query');
      assert.equal(req.book.pages, '10');
      assert.equal(req.book.genre, 'GENRE_FICTION');
    });

    it('should serve additional_bindings on the same handler, with body * and nested path variables', async () => {
      const res = await http('PUT', '/v1/books/b9', { parent: 'shelves/1', book: { title: 't', name: 'from-body' } });
      assert.equal(res.status, 200);
      assert.equal((last() as { book: Book }).book.name, 'b9');
      assert.equal((await http('POST', '/v1/books:update', { book: { name: 'x' } })).status, 200);
      assert.equal((await http('PATCH', '/v1/shelves/1/books/2', { title: 'new' })).status, 200);
      assert.equal((last() as { book: Book }).book.name, 'shelves/1/books/2');
    });

    it('should map repeated, map and enum query parameters and send only response_body', async () => {
      const res = await http('GET', '/v1/shelves/1/books?page.size=5&genres=GENRE_FICTION&genres=2&filter[lang]=en&filter.year=1965');
      assert.deepEqual(await res.json(), [
        { name: 'b1', title: '', pages: '0', published: null, tags: [], labels: {}, genre: 'GENRE_UNSPECIFIED' },
        { name: 'b2', title: '', pages: '0', published: null, tags: [], labels: {}, genre: 'GENRE_UNSPECIFIED' },
      ]);
      const req = last() as { page: { size: number }; genres: string[]; filter: Record<string, string> };
      assert.equal(req.page.size, 5);
      assert.deepEqual(req.genres, ['GENRE_FICTION', 'GENRE_SCIENCE']);
      assert.deepEqual(req.filter, { lang: 'en', year: '1965' });
    });

    it('should serve custom verbs, :verb suffixes and ** variables', async () => {
      assert.deepEqual(await (await http('MOVE', '/v1/shelves/1/books/2:move')).json().then((b) => (b as Book).name), 'moved:shelves/1/books/2');
      assert.equal(((await (await http('GET', '/files/a/b/c.txt')).json()) as Book).name, 'a/b/c.txt');
    });

    it('should answer a binding error with 400 CODEC through the middleware chain', async () => {
      const res = await http('GET', '/v1/shelves/1/books?page.size=notanumber');
      assert.equal(res.status, 400);
      assert.equal(((await res.json()) as { reason: string }).reason, 'CODEC');
    });

    it('should negotiate codecs: proto in, yaml out', async () => {
      const loader = new ProtoLoader({ includeDirs: [include] });
      const Book = (await loader.load(proto)).lookupType('library.v1.Book');
      const body = Buffer.from(Book.encode(Book.fromObject({ title: 'binary', pages: 3 })).finish());
      const res = await fetch(`${t.httpUrl}/v1/shelves/3/books`, { method: 'POST', body, headers: { 'content-type': 'application/x-protobuf', accept: 'application/x-yaml' } });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /yaml/);
      assert.match(await res.text(), /title: binary/);
    });

    it('should not expose streaming rpcs over HTTP', async () => {
      assert.equal((await http('GET', '/v1/watch')).status, 404);
    });
  });

  describe('the typed HTTP client', () => {
    it('should follow the annotations, expand pattern variables, and restore errors', async () => {
      const loader = new ProtoLoader({ includeDirs: [include] });
      const client = createProtoHttpClient(await loader.service(proto, 'library.v1.Library'), { endpoint: t.httpUrl });
      try {
        assert.equal((await client['getBook']!({ name: 'shelves/1/books/2' }))['title'], 'Dune');
        const list = await client['listBooks']!({ parent: 'shelves/1', genres: ['GENRE_SCIENCE'], page: { size: 2 } });
        assert.deepEqual((list['books'] as Book[]).map((b) => b.name), ['b1', 'b2']);
        assert.deepEqual((last() as { genres: string[] }).genres, ['GENRE_SCIENCE']);
        const created = await client['createBook']!({ parent: 'shelves/4', book: { title: 'c' }, requestId: 'q' });
        assert.equal(created['title'], 'c');
        assert.equal((last() as { requestId: string }).requestId, 'q');
        const err = await client['getBook']!({ name: 'shelves/1/books/0' }).catch((e: unknown) => e);
        assert.ok(KratosError.isKratosError(err));
        assert.deepEqual(err.toJSON(), { code: 404, reason: 'BOOK_NOT_FOUND', message: 'no shelves/1/books/0', metadata: { name: 'shelves/1/books/0' } });
        await assert.rejects(client['getBook']!({ name: 'racks/1' }), (e) => FrameworkError.isFrameworkError(e) && e.code === 'KRATOS_ERR_PROTO_BINDING');
      } finally {
        client.close();
      }
    });
  });

  describe('gRPC, every call kind through one class', () => {
    it('should serve unary and all three streaming kinds', async () => {
      const c = createGrpcClient({ proto, name: 'library.v1.Library', includeDirs: [include] }, { endpoint: t.grpcAddress });
      try {
        const call = (m: string) => c[m] as (req: unknown) => Promise<Book> & AsyncIterable<Book>;
        assert.equal((await call('getBook')({ name: 'shelves/1/books/2' })).title, 'Dune');
        const watched: string[] = [];
        for await (const b of call('watch')({ name: 'w' })) watched.push(b.name);
        assert.deepEqual(watched, ['w#0', 'w#1', 'w#2']);
        assert.equal((await call('upload')([{ name: 'a' }, { name: 'b' }])).name, 'a,b');
        const synced: string[] = [];
        for await (const b of call('sync')([{ name: 'x' }, { name: 'y' }])) synced.push(b.name);
        assert.deepEqual(synced, ['X', 'Y']);
      } finally {
        c.close();
      }
    });
  });
});

describe('binding a class to its proto at boot', () => {
  const boot = (cls: new () => object) => {
    @Module({ services: [cls] }) class M {}
    return createApp(M, { logger: new NoopLogger(), configDir: false, protoPaths: [include], http: { addr: '127.0.0.1:0' }, grpc: { addr: '127.0.0.1:0' } });
  };
  const coded = (code: string, ...parts: string[]) => (e: unknown) => {
    assert.ok(FrameworkError.isFrameworkError(e), String(e));
    assert.equal(e.code, code);
    for (const p of parts) assert.ok(e.message.includes(p), `'${p}' not in: ${e.message}`);
    return true;
  };
  const echoProto = repoPath('test/fixtures/grpc/echo.proto');

  it('should name the class and rpc of an rpc without a handler', async () => {
    @Service({ proto: echoProto }) class Partial { @Rpc() async say() { return {}; } }
    await assert.rejects(boot(Partial), coded('KRATOS_ERR_PROTO_BINDING', 'Partial', '/echo.v1.Echo/Count'));
  });

  it('should name a handler with no rpc', async () => {
    @Service({ proto: echoProto, name: 'echo.v1.Echo' })
    class Extra {
      @Rpc() async say() { return {}; } @Rpc() async *count() { yield {}; } @Rpc() async join() { return {}; } @Rpc() async *chat() { yield {}; }
      @Rpc() async shout() { return {}; }
    }
    await assert.rejects(boot(Extra), coded('KRATOS_ERR_PROTO_BINDING', 'Extra.shout', "'Shout'", 'Say, Count, Join, Chat'));
  });

  it('should refuse a streaming mismatch', async () => {
    @Service({ proto: echoProto })
    class Mismatch { @Rpc() async say() { return {}; } @Rpc() async count() { return {}; } @Rpc() async join() { return {}; } @Rpc() async *chat() { yield {}; } }
    await assert.rejects(boot(Mismatch), coded('KRATOS_ERR_PROTO_BINDING', 'Mismatch.count', '/echo.v1.Echo/Count', 'async *'));
  });

  it('should name the file and line of a proto that does not parse', async () => {
    @Service({ proto: repoPath('test/fixtures/proto/broken/syntax.proto') }) class Broken {}
    await assert.rejects(boot(Broken), coded('KRATOS_ERR_PROTO_INVALID', 'syntax.proto:9'));
  });

  it('should say where it looked for a proto that does not exist', async () => {
    @Service({ proto: 'api/none/v1/none.proto' }) class Missing {}
    await assert.rejects(boot(Missing), coded('KRATOS_ERR_PROTO_INVALID', 'Missing', 'api/none/v1/none.proto', 'looked in'));
  });
});
