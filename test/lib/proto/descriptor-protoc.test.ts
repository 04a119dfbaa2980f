import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { builtinProtoPaths, descriptorIndex, ProtoLoader } from '../../../lib/proto/index.js';
import { repoPath } from '../../helpers/echo-service.js';
import { descriptorSet, protocAvailable, protocDecodeFiles, protocDescriptorSet } from '../../helpers/protoc.js';

// Real-world inputs: googleapis' library example, the go-kratos example fixtures, and our own
// fixture with every shape a descriptor carries (maps, groups, defaults, custom options, public imports).
const cases: { name: string; dir: string; entries: string[] }[] = [
  { name: 'googleapis library.proto', dir: repoPath('node_modules/google-proto-files'), entries: ['google/example/library/v1/library.proto'] },
  { name: 'go-kratos blog', dir: repoPath('test/fixtures/kratos-examples/blog'), entries: ['api/blog/v1/blog.proto', 'api/blog/v1/error_reason.proto'] },
  { name: 'go-kratos validate', dir: repoPath('test/fixtures/kratos-examples/validate'), entries: ['api/example.proto'] },
  { name: 'kratos-layout', dir: repoPath('test/fixtures/kratos-examples/layout'), entries: ['api/helloworld/v1/greeter.proto', 'internal/conf/conf.proto'] },
  { name: 'reflection fixtures', dir: repoPath('test/fixtures/reflection'), entries: ['shop/v1/service.proto', 'catalog/v1/service.proto', 'billing/v1/legacy.proto', 'files/v1/files.proto'] },
];

describe('descriptorIndex against protoc --descriptor_set_out --include_imports and python3-protobuf', () => {
  for (const c of cases) {
    it(`should describe every file of ${c.name} field for field as protoc does`, { skip: !protocAvailable() && 'protoc not installed' }, () => {
      const loader = new ProtoLoader({ includeDirs: [c.dir] });
      const idx = descriptorIndex(c.entries.map((e) => loader.loadSync(`${c.dir}/${e}`)));
      // protoc searches what our loader searches, in the same order, so both read the same files.
      const dirs = [c.dir, ...builtinProtoPaths()];
      const names = [...idx.files.keys()];
      const theirs = protocDecodeFiles(dirs, names, protocDescriptorSet(dirs, c.entries));
      const ours = protocDecodeFiles(dirs, names, descriptorSet(idx.files.values()));
      // The set's file order is protoc's traversal order, which a server need not follow: compare by name.
      assert.deepEqual([...ours.keys()].sort(), [...theirs.keys()].sort());
      for (const [name, text] of theirs) assert.equal(ours.get(name), text, `${name} differs from protoc's`);
    });

    it(`should give python3-protobuf's descriptor pool every file of ${c.name}, loadable whole`, () => {
      const loader = new ProtoLoader({ includeDirs: [c.dir] });
      const idx = descriptorIndex(c.entries.map((e) => loader.loadSync(`${c.dir}/${e}`)));
      const out = execFileSync('/usr/bin/python3', [repoPath('test/interop/load_descriptor_set.py')], { input: descriptorSet(idx.files.values()) }).toString();
      const seen = JSON.parse(out) as { files: string[]; classes: number };
      assert.deepEqual(seen.files, [...idx.files.keys()].sort());
      assert.ok(seen.classes > 0);
    });
  }
});
