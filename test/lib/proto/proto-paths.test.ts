import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseArgs } from '../../../lib/tools/cli/args.js';
import { projectRoot, resolveProtoPaths } from '../../../lib/proto/index.js';

const LOADER = new URL('../../../lib/proto/index.js', import.meta.url).href;

describe('import paths (protoPaths)', () => {
  let proj: string;
  before(() => {
    proj = mkdtempSync(join(tmpdir(), 'paths-'));
    writeFileSync(join(proj, 'package.json'), '{ "name": "p", "type": "module" }\n');
    mkdirSync(join(proj, 'src/deep'), { recursive: true });
    mkdirSync(join(proj, 'protos/shared'), { recursive: true });
    mkdirSync(join(proj, 'third_party/acme'), { recursive: true });
    mkdirSync(join(proj, 'api'), { recursive: true });
    writeFileSync(join(proj, 'protos/shared/money.proto'), 'syntax = "proto3";\npackage shared;\nmessage Money { int64 cents = 1; }\n');
    writeFileSync(join(proj, 'third_party/acme/tag.proto'), 'syntax = "proto3";\npackage acme;\nmessage Tag { string v = 1; }\n');
    writeFileSync(join(proj, 'api/shop.proto'), 'syntax = "proto3";\npackage shop;\nimport "shared/money.proto";\nimport "acme/tag.proto";\nmessage Item { shared.Money price = 1; acme.Tag tag = 2; }\n');
  });
  after(() => rmSync(proj, { recursive: true, force: true }));

  it('should find the project root from the entry script: the nearest package.json above it', () => {
    assert.equal(projectRoot(join(proj, 'src/deep/main.js')), proj);
    assert.equal(projectRoot(join(proj, 'src/deep')), proj);
  });

  it("should resolve relative paths against the project root and add the project's third_party/", () => {
    assert.deepEqual(resolveProtoPaths(['protos', '/abs/dir'], proj), [join(proj, 'protos'), '/abs/dir', join(proj, 'third_party')]);
    assert.deepEqual(resolveProtoPaths(['third_party'], proj), [join(proj, 'third_party')]);
  });

  it('should load with relative protoPaths from an entry script run in another working directory', async () => {
    const main = join(proj, 'src/deep/main.js');
    writeFileSync(main, `import { ProtoLoader } from ${JSON.stringify(LOADER)};\n` +
      `const root = await new ProtoLoader({ protoPaths: ['protos'] }).load(${JSON.stringify(join(proj, 'api/shop.proto'))});\n` +
      "console.log(Object.keys(root.lookupType('shop.Item').fields).join(','));\n");
    const { stdout } = await promisify(execFile)(process.execPath, [main], { cwd: tmpdir() });
    assert.equal(stdout.trim(), 'price,tag');
  });

  it('should read every -I of the CLI, protoc style too', () => {
    const a = parseArgs(['proto', 'client', 'x.proto', '-I', 'a', '-Ib', '--proto_path', 'c', '-I=d']);
    assert.deepEqual(a.lists.get('I'), ['a', 'b', 'd']);
    assert.deepEqual(a.lists.get('proto_path'), ['c']);
    assert.deepEqual(a.positionals, ['proto', 'client', 'x.proto']);
  });
});
