import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { Module, Rpc, Service } from '../../../../decorators/index.js';
import { bundledIncludeDir } from '../../../../lib/proto/index.js';
import { createTestApp, type TestApp } from '../../../../lib/testing/index.js';
import { repoPath, runTsc } from './codegen-fixtures.js';

const LIB = new URL('../../../../lib/index.js', import.meta.url).href;

// A kratos-layout style project: api/ importing validate/validate.proto and a proto of its own from third_party/.
const DEMO = `syntax = "proto3";
package demo.v1;
import "google/api/annotations.proto";
import "validate/validate.proto";
import "acme/v1/paging.proto";
service Items {
  rpc List(ListRequest) returns (ListReply) { option (google.api.http) = { get: "/v1/items" }; }
}
message ListRequest { acme.v1.Paging page = 1 [(validate.rules).message.required = true]; }
message ListReply { repeated string names = 1; int32 size = 2; }
`;
const PAGING = 'syntax = "proto3";\npackage acme.v1;\nmessage Paging { int32 size = 1; }\n';

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

describe('a generated client whose proto imports third_party/', () => {
  let proj: string;
  let t: TestApp;
  let script: string;

  before(async () => {
    mkdirSync(repoPath('test/.codegen-tmp'), { recursive: true });
    proj = mkdtempSync(repoPath('test/.codegen-tmp/paths-'));
    write(join(proj, 'package.json'), '{ "name": "demo", "type": "module" }\n');
    write(join(proj, 'api/demo/v1/items.proto'), DEMO);
    write(join(proj, 'third_party/acme/v1/paging.proto'), PAGING);
    mkdirSync(join(proj, 'third_party/validate'), { recursive: true });
    copyFileSync(join(bundledIncludeDir(), 'validate/validate.proto'), join(proj, 'third_party/validate/validate.proto'));
    // The CLI, run from the project as a user would: -I third_party, output to gen/.
    execFileSync(process.execPath, [repoPath('dist/lib/tools/cli/main.js'), 'proto', 'client', 'api/demo/v1/items.proto', '-o', 'gen', '-I', 'third_party'], { cwd: proj });
    write(join(proj, 'tsconfig.json'), JSON.stringify({
      extends: repoPath('tsconfig.json'),
      compilerOptions: { rootDir: join(proj, 'gen'), outDir: join(proj, 'lib'), noEmitOnError: true, declaration: false, sourceMap: false, paths: { 'kratos-ts': [repoPath('dist/lib/index.d.ts')] } },
      include: [], files: [join(proj, 'gen/items.pb.ts')],
    }));
    const tsc = runTsc(['-p', join(proj, 'tsconfig.json')]);
    assert.equal(tsc.status, 0, tsc.output);
    const js = join(proj, 'lib/items.pb.js');
    writeFileSync(js, readFileSync(js, 'utf8').replaceAll("'kratos-ts'", `'${LIB}'`));

    @Service({ proto: join(proj, 'api/demo/v1/items.proto'), name: 'demo.v1.Items' })
    class Items { @Rpc() async list(req: { page: { size: number } }) { return { names: ['a'], size: req.page.size }; } }
    @Module({ services: [Items] }) class M {}
    t = await createTestApp(M, { grpc: { addr: '127.0.0.1:0' }, protoPaths: [join(proj, 'third_party')] });

    // A caller outside the project (no package.json above it), run from yet another directory.
    script = join(mkdtempSync(join(tmpdir(), 'caller-')), 'call.mjs');
    writeFileSync(script, `
      const m = await import(${JSON.stringify(js)});
      const [grpcAddr, httpUrl, mode] = process.argv.slice(2);
      const opts = mode === 'empty' ? { protoPaths: [] } : {};
      try {
        const g = m.createItemsGrpcClient({ endpoint: grpcAddr, ...opts });
        const h = m.createItemsHttpClient({ endpoint: httpUrl, ...opts });
        const out = { grpc: await g.list({ page: { size: 3 } }), http: await h.list({ page: { size: 4 } }) };
        const bad = await g.list({}).catch((e) => e.reason);
        g.close(); h.close();
        console.log(JSON.stringify({ ...out, bad }));
      } catch (e) { console.log(JSON.stringify({ error: e.code, message: e.message })); }
    `);
  });
  after(async () => {
    await t?.close();
    rmSync(proj, { recursive: true, force: true });
  });

  const call = async (mode = ''): Promise<Record<string, unknown>> => {
    const { stdout } = await promisify(execFile)(process.execPath, [script, t.grpcAddress, t.httpUrl, mode], { cwd: tmpdir() });
    return JSON.parse(stdout) as Record<string, unknown>;
  };

  it('should default its factories to the -I the generator was given, from any working directory', async () => {
    assert.match(readFileSync(join(proj, 'gen/items.pb.ts'), 'utf8'), /const PROTO_PATHS: string\[\] = \['\.\.\/third_party'\]/);
    assert.deepEqual(await call(), { grpc: { names: ['a'], size: 3 }, http: { names: ['a'], size: 4 }, bad: 'VALIDATOR' });
  });

  it('should take protoPaths from the caller instead', async () => {
    const r = await call('empty');
    assert.equal(r['error'], 'KRATOS_ERR_PROTO_INVALID');
    assert.match(String(r['message']), /import 'acme\/v1\/paging\.proto' not found/);
  });
});
