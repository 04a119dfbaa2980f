import { after, before, describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import { googleapisDir, ProtoLoader } from '../../../lib/proto/index.js';
import { repoPath } from '../../helpers/echo-service.js';

const DESCRIPTOR = join(googleapisDir(), 'google', 'protobuf', 'descriptor.proto');

/** Every reflection object under `ns` with the file it was declared in and its comment. */
function declarations(ns: protobuf.NamespaceBase, out: string[] = []): string[] {
  for (const o of ns.nestedArray) {
    const parts = o instanceof protobuf.Type ? [...o.fieldsArray, ...o.oneofsArray] : [];
    for (const x of [o, ...parts]) out.push(`${x.fullName} ${x.filename} ${JSON.stringify(x.comment)} ${JSON.stringify(x.parsedOptions)}`);
    if (o instanceof protobuf.Namespace) declarations(o, out);
  }
  return out;
}

describe("ProtoLoader's built-in files shared between roots", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'kratos-shared-protos-'));
    for (const n of [1, 2, 3]) {
      writeFileSync(join(dir, `uses${n}.proto`), `syntax = "proto3";\npackage uses${n};\nimport "google/protobuf/descriptor.proto";\nmessage M { google.protobuf.FileDescriptorProto file = 1; }\n`);
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('should parse descriptor.proto at most once for any number of roots importing it', () => {
    // protobufjs reads each file it parses itself; the shared parse goes through protobuf.parse.
    const reads = mock.method(fs, 'readFileSync');
    const parses = mock.method(protobuf, 'parse');
    try {
      for (const n of [1, 2, 3]) new ProtoLoader().loadSync(join(dir, `uses${n}.proto`));
      new ProtoLoader().loadSync(repoPath('samples/helloworld/api/helloworld/v1/greeter.proto'));
      const readByProtobufjs = reads.mock.calls.filter((c) => String(c.arguments[0]) === DESCRIPTOR).length;
      assert.equal(readByProtobufjs, 0, 'protobufjs parsed descriptor.proto again');
      const shared = parses.mock.calls.filter((c) => String(c.arguments[0]).includes('message FileDescriptorProto {')).length;
      assert.ok(shared <= 1, `descriptor.proto parsed ${shared} times to share it`);
    } finally {
      reads.mock.restore();
      parses.mock.restore();
    }
  });

  it('should give each root objects of its own, declared as a parse of the file would', () => {
    const a = new ProtoLoader().loadSync(join(dir, 'uses1.proto'));
    const b = new ProtoLoader().loadSync(join(dir, 'uses2.proto'));
    const plain = new protobuf.Root().loadSync(DESCRIPTOR, { keepCase: false });
    const json = (r: protobuf.Root) => JSON.stringify((r.lookup('google.protobuf') as protobuf.Namespace).toJSON({ keepComments: true }));
    assert.equal(json(a), json(plain));
    assert.equal(json(b), json(plain));
    assert.deepEqual(declarations(a.lookup('google.protobuf') as protobuf.Namespace), declarations(plain.lookup('google.protobuf') as protobuf.Namespace));
    assert.deepEqual(a.lookup('google.protobuf')?.parsedOptions, plain.lookup('google.protobuf')?.parsedOptions);
    assert.ok(a.files.includes(DESCRIPTOR) && b.files.includes(DESCRIPTOR));
    const [ta, tb] = [a.lookupType('google.protobuf.FileDescriptorProto'), b.lookupType('google.protobuf.FileDescriptorProto')];
    assert.notEqual(ta, tb);
    assert.notEqual(ta.fields['name'], tb.fields['name']);
    ta.setOption('deprecated', true);
    assert.equal(tb.getOption('deprecated'), undefined, 'an option set in one root showed in the other');
    // Each copy resolves and codes on its own.
    const M = a.lookupType('uses1.M');
    const bytes = M.encode(M.fromObject({ file: { name: 'x.proto', messageType: [{ name: 'X' }] } })).finish();
    assert.deepEqual(M.toObject(M.decode(bytes)), { file: { name: 'x.proto', messageType: [{ name: 'X' }] } });
  });
});
