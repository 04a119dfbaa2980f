import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoPath } from '../../helpers/echo-service.js';

const repo = repoPath('').replace(/\/$/, '');
const cli = join(repo, 'dist', 'lib', 'cli', 'main.js');
const run = (args: string[], cwd: string) => spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });
// Without NODE_TEST_CONTEXT: node's test runner sets it for its children, and a nested `node --test`
// that sees it reports to a parent instead of printing its results.
const cleanEnv = (): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false' };
  delete env['NODE_TEST_CONTEXT'];
  return env;
};
const npm = (args: string[], cwd: string) => spawnSync('npm', args, { cwd, encoding: 'utf8', env: cleanEnv() });

describe('kratos-ts CLI', () => {
  it('should print its version and usage, and fail on an unknown command', () => {
    const v = run(['--version'], repo);
    assert.equal(v.status, 0);
    assert.equal(v.stdout.trim(), (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string }).version);
    const h = run(['--help'], repo);
    assert.equal(h.status, 0);
    for (const cmd of ['new <name>', 'proto add', 'proto client', 'proto server', 'proto lint', 'gen cache', 'run']) assert.ok(h.stdout.includes(cmd), cmd);
    assert.equal(run(['nope'], repo).status, 1);
  });

  it('should name the file and line of a proto that does not parse, and exit non-zero', () => {
    const r = run(['proto', 'client', repoPath('test/fixtures/proto/broken/syntax.proto')], repo);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /syntax\.proto:9/);
  });

  describe('new, then proto add, client and server', () => {
    let dir: string;
    let project: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'kratos-new-'));
      project = join(dir, 'demo');
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('should create a project that installs, passes its own tests and serves HTTP and gRPC', { timeout: 240_000 }, async () => {
      const created = run(['new', 'demo', '--kratos', repo, '--dir', dir], repo);
      assert.equal(created.status, 0, created.stderr);
      for (const f of ['package.json', 'tsconfig.json', 'main.ts', 'api/greeter/v1/greeter.proto', 'configs/config.yaml', 'src/biz/greeter.ts', 'src/data/greeter-repo.ts', 'src/service/greeter-service.ts', 'src/server/app.module.ts', 'test/greeter.test.ts', 'README.md', 'Dockerfile']) {
        assert.ok(existsSync(join(project, f)), f);
      }
      const install = npm(['install', '--prefer-offline'], project);
      assert.equal(install.status, 0, install.stderr);
      const test = npm(['test'], project);
      assert.equal(test.status, 0, test.stdout + test.stderr);
      assert.match(test.stdout, /pass 2/);

      const child = spawn(process.execPath, ['dist/main.js'], { cwd: project, env: { ...process.env, HTTP_ADDR: '127.0.0.1:0', GRPC_ADDR: '127.0.0.1:0' } });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
      try {
        const until = Date.now() + 15_000;
        while (!/grpc:\/\/127\.0\.0\.1:\d+/.test(out) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
        const http = /(http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
        assert.ok(http !== undefined, out);
        assert.deepEqual(await (await fetch(`${http}/hello/kratos`)).json(), { message: 'Hello kratos' });
        assert.match(out, /grpc:\/\/127\.0\.0\.1:\d+/);
      } finally {
        child.kill('SIGTERM');
      }
    });

    it('should generate a proto, clients and a server that answers on both transports once filled in', { timeout: 120_000 }, () => {
      assert.equal(run(['proto', 'add', 'api/shop/v1/cart.proto'], project).status, 0);
      const protoFile = join(project, 'api/shop/v1/cart.proto');
      writeFileSync(protoFile, readFileSync(protoFile, 'utf8').replace('message GetCartReply {}', 'message GetCartReply {\n  string id = 1;\n}'));
      assert.equal(run(['proto', 'client', 'api/shop/v1/cart.proto'], project).status, 0);
      assert.equal(run(['proto', 'server', 'api/shop/v1/cart.proto', '-t', 'src/service'], project).status, 0);
      const svc = join(project, 'src/service/cart-service.ts');
      writeFileSync(svc, readFileSync(svc, 'utf8').replace("throw new KratosError(501, 'UNIMPLEMENTED', 'method GetCart not implemented');", 'void ctx;\n    return { id: request.id };'));
      writeFileSync(join(project, 'test/cart.test.ts'), `import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KratosError } from 'kratos-ts';
import { Module } from 'kratos-ts/decorators';
import { createTestApp } from 'kratos-ts/testing';
import { createCartGrpcClient, createCartHttpClient } from '../api/shop/v1/cart.pb.js';
import { CartService } from '../src/service/cart-service.js';

@Module({ services: [CartService] }) class CartModule {}

describe('generated cart service', () => {
  it('answers GetCart on gRPC and HTTP, and the rest with UNIMPLEMENTED', async () => {
    const t = await createTestApp(CartModule);
    const grpc = createCartGrpcClient({ endpoint: t.grpcAddress });
    const http = createCartHttpClient({ endpoint: t.httpUrl });
    try {
      assert.equal((await grpc.getCart({ id: 'c1' })).id, 'c1');
      assert.equal((await http.getCart({ id: 'c2' })).id, 'c2');
      const err = await grpc.listCart({}).catch((e: unknown) => e);
      assert.ok(KratosError.isKratosError(err));
      assert.equal(err.code, 501);
    } finally {
      grpc.close();
      http.close();
      await t.close();
    }

  });
});
`);
      const test = npm(['test'], project);
      assert.equal(test.status, 0, test.stdout + test.stderr);
      assert.match(test.stdout, /answers GetCart on gRPC and HTTP/);
    });
    it('should rebuild and restart on a change with run', { timeout: 120_000 }, async () => {
      const child = spawn(process.execPath, [cli, 'run'], { cwd: project, env: { ...cleanEnv(), HTTP_ADDR: '127.0.0.1:0', GRPC_ADDR: '127.0.0.1:0' } });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
      const listening = () => (out.match(/server listening on http:/g) ?? []).length;
      const wait = async (n: number) => {
        const until = Date.now() + 60_000;
        while (listening() < n && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
        assert.ok(listening() >= n, out);
      };
      try {
        await wait(1);
        const f = join(project, 'src/biz/greeter.ts');
        writeFileSync(f, readFileSync(f, 'utf8').replace('`Hello ${name}`', '`Hi ${name}`'));
        await wait(2);
        assert.match(out, /change detected: rebuilding/);
      } finally {
        child.kill('SIGINT');
        await new Promise((r) => child.once('exit', r));
      }
    });
  });
});
