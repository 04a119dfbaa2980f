import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { create, fromBinary, toBinary, toJson } from '@bufbuild/protobuf';
import { generateBrowserClient, type GeneratedFile } from '../../../../lib/tools/codegen/index.js';
import { ProtoLoader } from '../../../../lib/proto/index.js';
import { createTestApp, type TestApp } from '../../../../lib/testing/index.js';
import { AppModule } from '../../../../samples/helloworld/src/server/app.module.js';
import { ChatModule } from '../../../../samples/streaming/chat-service.js';
import { messageIn, peerRegistry } from '../../../helpers/grpc-web-peer.js';
import { EVERYTHING_PROTO, GREETER_PROTO, repoPath, runTsc } from './codegen-fixtures.js';

const CHAT_PROTO = repoPath('samples/streaming/api/chat/v1/chat.proto');
const GOLDEN = repoPath('test/fixtures/codegen/golden-browser');
const update = process.env['KRATOS_UPDATE_GOLDEN'] === '1';

function browserFiles(file: string): GeneratedFile[] {
  return generateBrowserClient(new ProtoLoader().loadSync(file), file);
}

const outputs = [GREETER_PROTO, CHAT_PROTO, EVERYTHING_PROTO].flatMap(browserFiles);

// What a browser build would see: strict flags, the DOM library, no Node types at all.
const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    lib: ['ES2023', 'DOM', 'DOM.Iterable', 'DOM.AsyncIterable'],
    module: 'ES2022',
    moduleResolution: 'bundler',
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    noImplicitOverride: true,
    noPropertyAccessFromIndexSignature: true,
    types: [],
    rootDir: 'gen',
    outDir: 'out',
  },
  include: ['gen/**/*.ts'],
};

type Untyped = Record<string, (...args: unknown[]) => any>;

describe('kratos-ts proto client --target browser', () => {
  for (const g of outputs) {
    it(`should generate ${g.path} byte for byte as test/fixtures/codegen/golden-browser/${g.path}.golden`, () => {
      const file = join(GOLDEN, `${g.path}.golden`);
      if (update) {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, g.content);
      }
      assert.equal(g.content, readFileSync(file, 'utf8'));
    });
  }

  it('should import nothing: no Node module, no library', () => {
    for (const g of outputs) assert.doesNotMatch(g.content, /^\s*import\s|require\(|node:/m, g.path);
  });

  describe('compiled under a strict browser tsconfig (lib dom, no Node types)', () => {
    let dir: string;
    let greeter: Record<string, (o: object) => Untyped>;
    let chat: Record<string, (o: object) => Untyped>;
    let everything: Record<string, any>;
    before(async () => {
      dir = mkdtempSync(join(tmpdir(), 'kratos-web-'));
      for (const g of outputs) {
        mkdirSync(dirname(join(dir, 'gen', g.path)), { recursive: true });
        // The codec round trip below reaches the generated codec through one extra export line.
        const extra = g.path.endsWith('everything.web.ts') ? '\nexport { $encode, $decode, $T_Thing };\n' : '';
        writeFileSync(join(dir, 'gen', g.path), g.content + extra);
      }
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(TSCONFIG));
      writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
      const r = runTsc(['-p', join(dir, 'tsconfig.json')]);
      assert.equal(r.status, 0, r.output);
      const load = async (p: string): Promise<any> => import(pathToFileURL(join(dir, 'out', p)).href);
      greeter = await load('helloworld/v1/greeter.web.js');
      chat = await load('chat/v1/chat.web.js');
      everything = await load('demo/v1/everything.web.js');
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    describe('against the samples', () => {
      let hello: TestApp;
      let chatApp: TestApp;
      before(async () => {
        hello = await createTestApp(AppModule, { protoPaths: [repoPath('samples/helloworld')] });
        chatApp = await createTestApp(ChatModule, { protoPaths: [repoPath('samples/streaming')] });
      });
      after(async () => {
        await hello.close();
        await chatApp.close();
      });

      it('should call SayHello over gRPC-Web and over its HTTP rule', async () => {
        const web = greeter['createGreeterGrpcWebClient']!({ baseUrl: hello.httpUrl });
        const http = greeter['createGreeterHttpWebClient']!({ baseUrl: hello.httpUrl });
        assert.deepEqual(await web['sayHello']!({ name: 'web' }), { message: 'Hello web' });
        assert.deepEqual(await http['sayHello']!({ name: 'http' }), { message: 'Hello http' });
      });

      it('should raise RpcError with the Kratos code and reason from either transport', async () => {
        for (const factory of ['createGreeterGrpcWebClient', 'createGreeterHttpWebClient']) {
          const c = greeter[factory]!({ baseUrl: hello.httpUrl });
          await assert.rejects(c['sayHello']!({ name: 'error' }), (e: { name: string; code: number; reason: string; message: string }) => {
            assert.deepEqual([e.name, e.code, e.reason, e.message], ['RpcError', 404, 'USER_NOT_FOUND', 'user not found: error']);
            return true;
          });
        }
      });

      it('should iterate a server stream over gRPC-Web and over NDJSON', async () => {
        const web = chat['createChatGrpcWebClient']!({ baseUrl: chatApp.httpUrl });
        const http = chat['createChatHttpWebClient']!({ baseUrl: chatApp.httpUrl });
        for (const text of ['a', 'b', 'c']) await http['send']!({ room: 'r1', text });
        for (const c of [web, http]) {
          const got: unknown[] = [];
          for await (const m of c['history']!({ room: 'r1', last: 2 }) as AsyncIterable<unknown>) got.push(m);
          assert.deepEqual(got, [{ room: 'r1', text: 'b' }, { room: 'r1', text: 'c' }]);
        }
      });

      it('should leave client- and bidi-streaming rpcs out', () => {
        const web = chat['createChatGrpcWebClient']!({ baseUrl: chatApp.httpUrl });
        assert.deepEqual(Object.keys(web).sort(), ['history', 'send']);
      });
    });

    describe('its proto3 codec, checked by @bufbuild/protobuf with protoc descriptors', () => {
      const registry = peerRegistry(repoPath('test/fixtures/codegen'), ['demo/v1/everything.proto']);
      const Thing = messageIn(registry, 'demo.v1.Thing');
      const value = {
        id: '-9007199254740993',
        displayName: 'ünï',
        big: '18446744073709551615',
        small: -42,
        fixed: '12345678901234567',
        ratio: 0.5,
        weight: 1.5,
        active: true,
        blob: new Uint8Array([0, 255, 7]),
        color: 'COLOR_RED',
        notes: [{ kind: 'KIND_TEXT', text: 'n1', raw: new Uint8Array([1]) }],
        notesById: { a: { kind: 'KIND_UNSPECIFIED', text: 'x', raw: new Uint8Array(0) } },
        counts: { '-5': '7' },
        tags: ['t1', 't2'],
        teamId: '99',
      };

      it('should encode what protobuf-es decodes to the same values', () => {
        const bytes = everything['$encode'](everything['$T_Thing'], value) as Uint8Array;
        const json = toJson(Thing, fromBinary(Thing, bytes), { registry }) as Record<string, unknown>;
        assert.deepEqual(json, {
          id: '-9007199254740993',
          displayName: 'ünï',
          big: '18446744073709551615',
          small: -42,
          fixed: '12345678901234567',
          ratio: 0.5,
          weight: 1.5,
          active: true,
          blob: 'AP8H',
          color: 'COLOR_RED',
          notes: [{ kind: 'KIND_TEXT', text: 'n1', raw: 'AQ==' }],
          notesById: { a: { text: 'x' } },
          counts: { '-5': '7' },
          tags: ['t1', 't2'],
          teamId: '99',
        });
      });

      it('should decode what protobuf-es encodes into the canonical form', () => {
        const msg = create(Thing, { id: -3n, displayName: 'z', small: -1, tags: ['q'], owner: { case: 'userId', value: 'u' } } as never);
        const got = everything['$decode'](everything['$T_Thing'], toBinary(Thing, msg)) as Record<string, unknown>;
        assert.equal(got['id'], '-3');
        assert.equal(got['displayName'], 'z');
        assert.equal(got['small'], -1);
        assert.deepEqual(got['tags'], ['q']);
        assert.equal(got['userId'], 'u');
        assert.equal(got['teamId'], undefined, 'unset oneof members stay absent');
        assert.equal(got['parent'], null, 'unset message fields are null');
        assert.equal(got['color'], 'COLOR_UNSPECIFIED');
      });
    });
  });
});
