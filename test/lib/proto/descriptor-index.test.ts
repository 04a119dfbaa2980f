import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import descriptor from 'protobufjs/ext/descriptor.js';
import { descriptorIndex, ProtoLoader } from '../../../lib/proto/index.js';

const fixture = (p: string): string => fileURLToPath(new URL(`../../../../test/fixtures/proto/${p}`, import.meta.url));
const LIBRARY = 'test/fixtures/proto/library/v1/library.proto';
const library = () => new ProtoLoader({ includeDirs: [fixture('include')] }).load(fixture('library/v1/library.proto'));

interface Fdp {
  name: string;
  dependency: string[];
  messageType: { name: string; field: { name: string }[] }[];
}
const decode = (b: Buffer | undefined): Fdp => descriptor.FileDescriptorProto.decode(b ?? Buffer.alloc(0)) as unknown as Fdp;

describe('descriptorIndex', () => {
  it('should key files by the name they are imported as, the entry file by its path below the working directory', async () => {
    const idx = descriptorIndex([await library()]);
    assert.equal(idx.symbols.get('library.v1.Library'), LIBRARY);
    assert.equal(idx.symbols.get('common.v1.Page'), 'common/v1/page.proto');
    assert.equal(idx.symbols.get('errors.Status'), 'errors/errors.proto');
    for (const [name, bytes] of idx.files) assert.equal(decode(bytes).name, name);
    for (const [name, deps] of idx.dependencies) {
      assert.deepEqual(decode(idx.files.get(name)).dependency, deps);
      for (const d of deps) assert.ok(idx.files.has(d), `${name} depends on unknown ${d}`);
    }
  });

  it('should describe a symbol shared by several roots once', async () => {
    const idx = descriptorIndex([await library(), await library()]);
    const names = decode(idx.files.get('google/protobuf/timestamp.proto')).messageType.map((m) => m.name);
    assert.deepEqual(names, ['Timestamp']);
    assert.equal(decode(idx.files.get(LIBRARY)).messageType.filter((m) => m.name === 'Book').length, 1);
  });

  it('should leave extension fields out of the message they extend', async () => {
    const idx = descriptorIndex([await library()]);
    const methodOptions = decode(idx.files.get('google/protobuf/descriptor.proto')).messageType.find((m) => m.name === 'MethodOptions');
    assert.ok(methodOptions);
    assert.ok(methodOptions.field.every((f) => !f.name.startsWith('.')));
  });

  it('should rebuild the service from the descriptors alone, as a reflection client does', async () => {
    const idx = descriptorIndex([await library()]);
    const set = descriptor.FileDescriptorSet.fromObject({ file: [...idx.files.values()].map((b) => descriptor.FileDescriptorProto.decode(b)) });
    const root = protobuf.Root.fromDescriptor(descriptor.FileDescriptorSet.encode(set).finish()).resolveAll();
    const get = root.lookupService('library.v1.Library').methods['GetBook'];
    assert.equal(get?.resolvedRequestType?.fullName, '.library.v1.GetBookRequest');
    assert.equal(root.lookupType('library.v1.Book').fields['published']?.resolvedType?.fullName, '.google.protobuf.Timestamp');
    assert.equal(idx.symbols.get('library.v1.Library.GetBook'), LIBRARY);
  });
});

describe('descriptorIndex given files protoc would refuse together', () => {
  it('should name the file that defines a symbol again under another name', async () => {
    const dir = fileURLToPath(new URL('../../../../test/fixtures/reflection', import.meta.url));
    const loader = new ProtoLoader({ includeDirs: [dir] });
    const roots = [await loader.load(`${dir}/dup/a.proto`), await loader.load(`${dir}/dup/b.proto`)];
    assert.throws(() => descriptorIndex(roots), (e: Error & { code?: string }) => e.code === 'KRATOS_ERR_PROTO_INVALID' && /dup\/b\.proto: cannot be described .*duplicate name/.test(e.message));
  });
});

describe('descriptorIndex symbols', () => {
  it('should know every symbol a reflection client may ask for: nested types, methods, extensions, enum values', async () => {
    const dir = fileURLToPath(new URL('../../../../test/fixtures/reflection', import.meta.url));
    const idx = descriptorIndex([await new ProtoLoader({ includeDirs: [dir] }).load(`${dir}/shop/v1/service.proto`)]);
    for (const [symbol, file] of [
      ['shop.v1.Order.Item', 'shop/v1/service.proto'],
      ['shop.v1.Order.ItemsBySkuEntry', 'shop/v1/service.proto'],
      ['shop.v1.Order.Channel', 'shop/v1/service.proto'],
      ['shop.v1.Shop.Watch', 'shop/v1/service.proto'],
      ['shop.v1.STATUS_OPEN', 'shop/v1/service.proto'],
      ['catalog.v1.resource_kind', 'catalog/v1/service.proto'],
      ['validate.rules', 'validate/validate.proto'],
      ['google.protobuf.Timestamp', 'google/protobuf/timestamp.proto'],
    ]) assert.equal(idx.symbols.get(symbol as string), file, symbol);
    assert.equal(idx.extensions.get('google.protobuf.MethodOptions')?.get(72295728), 'google/api/annotations.proto');
    assert.deepEqual(idx.dependencies.get('shop/v1/service.proto')?.slice(-1), ['catalog/v1/service.proto']);
  });
});

describe('descriptorIndex with a vendored descriptor.proto', () => {
  it('should still encode what the real descriptor.proto has (proto3_optional) and describe the vendored file as it is', async () => {
    const dir = fileURLToPath(new URL('../../../../test/fixtures/reflection/vendored', import.meta.url));
    const idx = descriptorIndex([await new ProtoLoader({ includeDirs: [dir] }).load(`${dir}/app/v1/app.proto`)]);
    const app = descriptor.FileDescriptorProto.decode(idx.files.get('app/v1/app.proto') as Buffer) as unknown as {
      messageType: { field: { name: string; proto3Optional?: boolean; oneofIndex?: number }[]; oneofDecl: { name: string }[] }[];
    };
    assert.deepEqual(app.messageType[0]?.field.map((f) => [f.name, f.proto3Optional, f.oneofIndex]), [['text', true, 0]]);
    assert.deepEqual(app.messageType[0]?.oneofDecl.map((o) => o.name), ['_text']);
    assert.deepEqual(decode(idx.files.get('google/protobuf/descriptor.proto')).messageType.map((m) => m.name), ['FieldOptions']);
  });
});

describe('descriptorIndex given one file known under two names', () => {
  it('should make every dependency name one that is served', async () => {
    const dir = fileURLToPath(new URL('../../../../test/fixtures/reflection', import.meta.url));
    const loader = new ProtoLoader({ includeDirs: [dir] });
    // b.proto is an entry (named by import path) and a's sibling import (named "b.proto").
    const idx = descriptorIndex([await loader.load(`${dir}/sibling/v1/b.proto`), await loader.load(`${dir}/sibling/v1/a.proto`)]);
    assert.deepEqual(decode(idx.files.get('sibling/v1/a.proto')).dependency, ['sibling/v1/b.proto']);
    for (const [name, deps] of idx.dependencies) for (const d of deps) assert.ok(idx.files.has(d), `${name} depends on unserved ${d}`);
  });
});
