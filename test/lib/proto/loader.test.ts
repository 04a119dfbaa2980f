import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import protobuf from 'protobufjs';
import descriptor from 'protobufjs/ext/descriptor.js';
import { FrameworkError } from '../../../lib/errors/index.js';
import { descriptorIndex, errorEnums, ProtoLoader } from '../../../lib/proto/index.js';
import { repoPath } from '../../helpers/echo-service.js';

const fixture = (p: string) => repoPath(`test/fixtures/proto/${p}`);
const loader = () => new ProtoLoader({ includeDirs: [fixture('include')] });
const coded = (code: string, ...parts: string[]) => (e: unknown) => {
  assert.ok(FrameworkError.isFrameworkError(e), String(e));
  assert.equal(e.code, code);
  for (const p of parts) assert.ok(e.message.includes(p), `'${p}' not in: ${e.message}`);
  return true;
};

describe('ProtoLoader', () => {
  describe('.service', () => {
    it('should load imports from the bundled, protobufjs and user include dirs', async () => {
      const s = await loader().service(fixture('library/v1/library.proto'), 'library.v1.Library');
      assert.equal(s.fullName, 'library.v1.Library');
      assert.ok(s.root.lookupType('common.v1.Page'));
      assert.ok(s.root.lookupType('google.protobuf.Timestamp'));
    });

    it('should describe each rpc with its operation and streaming kinds', async () => {
      const s = await loader().service(fixture('library/v1/library.proto'), 'library.v1.Library');
      const kinds = Object.fromEntries(s.methods.map((m) => [m.name, [m.operation, m.requestStream, m.responseStream]]));
      assert.deepEqual(kinds['GetBook'], ['/library.v1.Library/GetBook', false, false]);
      assert.deepEqual(kinds['Watch'], ['/library.v1.Library/Watch', false, true]);
      assert.deepEqual(kinds['Upload'], ['/library.v1.Library/Upload', true, false]);
      assert.deepEqual(kinds['Sync'], ['/library.v1.Library/Sync', true, true]);
    });

    it('should read every google.api.http rule form', async () => {
      const s = await loader().service(fixture('library/v1/library.proto'), 'library.v1.Library');
      const rules = (name: string) => s.methods.find((m) => m.name === name)!.http.map((r) => [r.method, r.template.source, r.body, r.responseBody]);
      assert.deepEqual(rules('GetBook'), [['GET', '/v1/{name=shelves/*/books/*}', undefined, undefined]]);
      assert.deepEqual(rules('CreateBook'), [['POST', '/v1/{parent=shelves/*}/books', 'book', undefined], ['PUT', '/v1/books/{book.name}', '*', undefined]]);
      assert.deepEqual(rules('UpdateBook').map((r) => r[0]), ['PATCH', 'POST', 'PUT']);
      assert.deepEqual(rules('ListBooks'), [['GET', '/v1/{parent=shelves/*}/books', undefined, 'books']]);
      assert.deepEqual(rules('MoveBook'), [['MOVE', '/v1/{name=shelves/*/books/*}:move', undefined, undefined]]);
      assert.deepEqual(rules('Watch'), []);
    });

    it('should name the file and the services it has for an unknown service', async () => {
      await assert.rejects(loader().service(fixture('library/v1/library.proto'), 'library.v1.Nope'), coded('KRATOS_ERR_PROTO_INVALID', 'library.proto', 'library.v1.Library'));
    });

    it('should refuse an http rule naming a field the request lacks', async () => {
      await assert.rejects(loader().service(fixture('broken/bad-binding.proto'), 'broken.S'), coded('KRATOS_ERR_PROTO_BINDING', 'missingField', '/broken.S/Get'));
    });
  });

  describe('.load', () => {
    it('should name the file and line of a syntax error', async () => {
      await assert.rejects(loader().load(fixture('broken/syntax.proto')), coded('KRATOS_ERR_PROTO_INVALID', 'syntax.proto:9'));
    });

    it('should name the importing file of a missing import', async () => {
      await assert.rejects(loader().load(fixture('broken/missing-import.proto')), coded('KRATOS_ERR_PROTO_INVALID', 'missing-import.proto', 'nowhere/missing.proto'));
    });

    it('should load once per file', async () => {
      const l = loader();
      assert.equal(await l.load(fixture('library/v1/library.proto')), await l.load(fixture('library/v1/library.proto')));
    });
  });

  describe('.loadSync', () => {
    it('should fail the same way synchronously', () => {
      assert.throws(() => loader().loadSync(fixture('broken/syntax.proto')), coded('KRATOS_ERR_PROTO_INVALID', 'syntax.proto:9'));
    });
  });
});

describe('errorEnums', () => {
  it('should give each value its own code or the enum default', async () => {
    const root = await loader().load(fixture('library/v1/library.proto'));
    assert.deepEqual(errorEnums(root), [
      { enumName: 'library.v1.LibraryError', name: 'LIBRARY_ERROR_UNSPECIFIED', code: 500 },
      { enumName: 'library.v1.LibraryError', name: 'BOOK_NOT_FOUND', code: 404 },
      { enumName: 'library.v1.LibraryError', name: 'SHELF_FULL', code: 409 },
    ]);
  });

  it('should refuse a code outside 100..599, naming enum, value and file', async () => {
    const root = await loader().load(fixture('broken/bad-code.proto'));
    assert.throws(() => errorEnums(root), coded('KRATOS_ERR_PROTO_INVALID', 'broken.Reason', 'WAY_OFF', '700', 'bad-code.proto'));
  });
});

describe('descriptorIndex', () => {
  it('should give decodable file descriptors with services, types and their imports', async () => {
    const root = await loader().load(fixture('library/v1/library.proto'));
    const idx = descriptorIndex([root]);
    const file = idx.symbols.get('library.v1.Library') as string;
    assert.equal(idx.symbols.get('library.v1.Library.GetBook'), file);
    const fdp = descriptor.FileDescriptorProto.decode(idx.files.get(file) as Buffer) as unknown as { package: string; service: { name: string }[]; dependency: string[]; messageType: { name: string; field: { typeName?: string }[] }[] };
    assert.equal(fdp.package, 'library.v1');
    assert.deepEqual(fdp.service.map((s) => s.name), ['Library']);
    assert.ok(fdp.dependency.includes('google/protobuf/timestamp.proto'), fdp.dependency.join());
    const book = fdp.messageType.find((m) => m.name === 'Book')!;
    assert.ok(book.field.some((f) => f.typeName === '.google.protobuf.Timestamp'));
    for (const dep of fdp.dependency) assert.ok(idx.files.has(dep), `missing dependency ${dep}`);
    assert.ok(protobuf.Root.fromDescriptor !== undefined);
  });
});
