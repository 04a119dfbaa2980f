import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateClient, generateServer } from '../../../../lib/tools/codegen/index.js';
import { FrameworkError } from '../../../../lib/errors/index.js';
import { ProtoLoader } from '../../../../lib/proto/index.js';

describe('codegen edge cases', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kratos-codegen-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, body: string): string => {
    const file = join(dir, name);
    writeFileSync(file, `syntax = "proto3";\n${body}\n`);
    return file;
  };
  const client = (file: string, options = {}): string => generateClient(new ProtoLoader().loadSync(file), file, options)[0]?.content ?? '';
  const refused = (fn: () => unknown, ...mentions: string[]): void => {
    assert.throws(fn, (e: unknown) => e instanceof FrameworkError && e.code === 'KRATOS_ERR_PROTO_INVALID' && mentions.every((m) => e.message.includes(m)));
  };

  describe('generateClient', () => {
    describe('having two types that would share a TypeScript name', () => {
      it('should refuse with both proto names', () => {
        const file = write('clash.proto', 'package c;\nmessage Outer { message Inner {} }\nmessage Outer_Inner {}');
        refused(() => client(file), 'c.Outer.Inner', 'c.Outer_Inner', "'Outer_Inner'");
      });

      it('should refuse a message named like a declaration of the generated file', () => {
        refused(() => client(write('reserved.proto', 'package r;\nmessage MessageInit {}')), "'MessageInit'");
      });

      it('should refuse two error reasons that give the same helper names', () => {
        const file = write('errs.proto', 'package e;\nimport "errors/errors.proto";\nenum A { option (errors.default_code) = 400; GONE = 0; }\nenum B { option (errors.default_code) = 404; GONE = 0; }');
        refused(() => client(file), 'e.A.GONE', 'e.B.GONE', "'isGone'");
      });
    });

    describe('having a file without a package', () => {
      it('should write <base>.pb.ts at the top and name types plainly', () => {
        const file = write('nopkg.proto', 'message Plain { int64 n = 1; }');
        const [pb, api] = generateClient(new ProtoLoader().loadSync(file), file);
        assert.deepEqual([pb?.path, api?.path], ['nopkg.pb.ts', 'nopkg.openapi.json']);
        assert.match(pb?.content ?? '', /export interface Plain \{\n {2}n: string;\n\}/);
      });
    });

    describe('having options', () => {
      it('should import from importFrom and load the proto from protoPathFromOutput', () => {
        const file = write('opts.proto', 'package o.v1;\nservice S { rpc M (R) returns (R); }\nmessage R {}');
        const text = client(file, { importFrom: '@acme/kratos', protoPathFromOutput: '../../proto/opts.proto' });
        assert.ok(text.includes("import * as kratos from '@acme/kratos';"));
        assert.ok(text.includes("const PROTO_PATH = fileURLToPath(new URL('../../proto/opts.proto', import.meta.url));"));
        assert.ok(!text.includes('HttpClient'), 'no google.api.http rule, no HTTP client');
      });
    });

    describe('having doc comments', () => {
      it('should carry them into the JSDoc of the type', () => {
        const file = write('docs.proto', 'package d;\n/**\n * A thing worth keeping.\n *\n * Twice.\n */\nmessage Kept { string id = 1; }');
        assert.ok(client(file).includes('/**\n * A thing worth keeping.\n *\n * Twice.\n *\n * d.Kept.\n */\nexport interface Kept {'));
      });
    });

    describe('having a bad google.api.http rule', () => {
      it('should refuse a path variable that is not a field', () => {
        const file = write('badrule.proto', 'package b;\nimport "google/api/annotations.proto";\nservice S { rpc M (R) returns (R) { option (google.api.http) = { get: "/v1/{nope}" }; } }\nmessage R {}');
        assert.throws(() => client(file), (e: unknown) => e instanceof FrameworkError && e.code === 'KRATOS_ERR_PROTO_BINDING' && e.message.includes("'nope'"));
      });
    });
  });

  describe('generateServer', () => {
    it('should spell out an rpc name that @Rpc() would not derive from the method name', () => {
      const file = write('lower.proto', 'package l;\nservice ToDo { rpc doThing (R) returns (R); rpc Other (R) returns (R); }\nmessage R {}');
      const g = generateServer(new ProtoLoader().serviceSync(file, 'l.ToDo'), { protoPath: 'lower.proto', typesFrom: '../api/lower.pb.js' });
      assert.equal(g.path, 'to-do-service.ts');
      assert.ok(g.content.includes("  @Rpc('doThing')\n  async doThing("));
      assert.ok(g.content.includes('  @Rpc()\n  async other('));
      assert.ok(g.content.includes("import type * as pb from '../api/lower.pb.js';"));
      assert.ok(g.content.includes('export class ToDoService implements pb.ToDoService {'));
    });
  });
});
