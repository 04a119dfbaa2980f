import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { repoPath } from '../../../helpers/echo-service.js';
import { gone, running, serve as start, stop, type Served } from '../../../helpers/processes.js';
import { runDockerfile, stageDir } from '../../../helpers/dockerfile.js';

const repo = repoPath('').replace(/\/$/, '');
const cli = join(repo, 'dist', 'lib', 'tools', 'cli', 'main.js');
const run = (args: string[], cwd: string) => spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8' });
// Without NODE_TEST_CONTEXT: node's test runner sets it for its children, and a nested `node --test`
// that sees it reports to a parent instead of printing its results. Installs come from the npm cache.
const cleanEnv = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', npm_config_prefer_offline: 'true', ...extra };
  delete env['NODE_TEST_CONTEXT'];
  return env;
};
const npm = (args: string[], cwd: string, extra: NodeJS.ProcessEnv = {}) => {
  const r = spawnSync('npm', args, { cwd, encoding: 'utf8', env: cleanEnv(extra) });
  assert.equal(r.status, 0, `npm ${args.join(' ')} in ${cwd}:\n${r.stdout}\n${r.stderr}`);
  return r;
};
const npx = (args: string[], cwd: string) => spawnSync('npx', ['--no-install', 'kratos-ts', ...args], { cwd, encoding: 'utf8', env: cleanEnv() });
const ok = (r: ReturnType<typeof npx>) => {
  assert.equal(r.status, 0, r.stdout + r.stderr);
  return r;
};

const serve = (cmd: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Served => start(cmd, cwd, cleanEnv({ HTTP_ADDR: '127.0.0.1:0', GRPC_ADDR: '127.0.0.1:0', ...env }));

/** promtool, the Prometheus project's own checker, finds nothing to report in `text`. */
function promtool(text: string): void {
  assert.ok(existsSync('/usr/bin/promtool'), 'promtool (Debian prometheus) is installed');
  const r = spawnSync('/usr/bin/promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.equal(`${r.stdout}${r.stderr}`.trim(), '', 'promtool has no findings');
}

/** The `cat > file <<'EOF'` blocks of docs/cli.md's walkthrough, run as they are, so the docs stay copy-pasteable. */
function docsFileBlocks(): string[] {
  const md = readFileSync(join(repo, 'docs', 'cli.md'), 'utf8');
  return [...md.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] as string).filter((b) => /^cat >>? /m.test(b));
}

describe('kratos-ts CLI', () => {
  it('should print its version and usage, and fail on an unknown command, run as node .../main.js', () => {
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

  // The path users take: the packed package installed into a fresh project, every docs/cli.md command
  // through `npx kratos-ts` (npm's bin link), a second service calling the first through a generated
  // client, the dev loop, and the Dockerfile's build steps.
  describe('installed from npm pack', () => {
    let dir: string;
    let tarball: string;
    let blog: string;
    let portal: string;
    let blogServer: Served | undefined;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'kratos-pack-'));
      const packed = npm(['pack', '--pack-destination', dir, '--json'], repo);
      tarball = join(dir, (JSON.parse(packed.stdout) as { filename: string }[])[0]?.filename as string);
      const tools = join(dir, 'tools');
      mkdirSync(tools);
      writeFileSync(join(tools, 'package.json'), '{ "name": "tools", "version": "1.0.0", "private": true }\n');
      npm(['install', tarball], tools);
      blog = join(tools, 'blog');
      portal = join(tools, 'portal');
    });
    after(async () => {
      if (blogServer !== undefined) await stop(blogServer.child);
      rmSync(dir, { recursive: true, force: true });
    });

    it('should import every subpath entry of the installed package, the moved names where the README says', () => {
      const tools = join(dir, 'tools');
      const installed = JSON.parse(readFileSync(join(tools, 'node_modules', 'kratos-ts', 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
      const entries = Object.keys(installed.exports).filter((k) => k !== './package.json').map((k) => `kratos-ts${k.slice(1)}`);
      const script = `for (const e of ${JSON.stringify(entries)}) { const m = await import(e); if (Object.keys(m).length === 0) throw new Error(e + ' is empty'); }
const { HttpServer } = await import('kratos-ts/http'); const { circuitBreaker } = await import('kratos-ts/resilience'); const { NoopLogger } = await import('kratos-ts/log');
if (typeof HttpServer !== 'function' || typeof circuitBreaker !== 'function' || typeof NoopLogger !== 'function') throw new Error('a moved name is missing');
process.stdout.write(String(${JSON.stringify(entries)}.length));`;
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: tools, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(Number(r.stdout), entries.length);
      assert.ok(entries.length >= 18, entries.join(' '));
    });

    it('should answer --version, --help and an unknown command through npx', () => {
      assert.equal(ok(npx(['--version'], join(dir, 'tools'))).stdout.trim(), '0.1.0');
      assert.match(ok(npx(['--help'], join(dir, 'tools'))).stdout, /kratos-ts new <name>/);
      const bad = npx(['nope'], join(dir, 'tools'));
      assert.equal(bad.status, 1);
      assert.match(bad.stderr, /unknown command 'nope'/);
    });

    it('should run through any other link to it: a global-style bin symlink, or main.js behind a symlink', () => {
      const installed = join(dir, 'tools', 'node_modules', 'kratos-ts', 'dist', 'lib', 'tools', 'cli');
      mkdirSync(join(dir, 'bin'));
      symlinkSync(join(installed, 'bin.js'), join(dir, 'bin', 'kratos-ts'));
      symlinkSync(join(installed, 'main.js'), join(dir, 'bin', 'kratos-main'));
      for (const link of ['kratos-ts', 'kratos-main']) {
        const r = spawnSync(join(dir, 'bin', link), ['--version'], { cwd: dir, encoding: 'utf8' });
        assert.equal(r.status, 0, r.stderr);
        assert.equal(r.stdout.trim(), '0.1.0', link);
      }
    });

    it('should scaffold a project that passes its own lint, protoc and tests', { timeout: 120_000 }, () => {
      ok(npx(['new', 'blog', '--kratos', tarball], join(dir, 'tools')));
      for (const f of ['package.json', 'main.ts', 'api/blog/v1/greeter.proto', 'third_party/google/api/annotations.proto', 'third_party/google/api/http.proto', 'third_party/errors/errors.proto', 'configs/config.yaml', 'src/biz/greeter.ts', 'test/greeter.test.ts', 'README.md', 'Dockerfile', '.dockerignore', '.gitignore', 'deploy/kubernetes.yaml', 'vendor/kratos-ts-0.1.0.tgz']) {
        assert.ok(existsSync(join(blog, f)), f);
      }
      assert.equal((JSON.parse(readFileSync(join(blog, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies['kratos-ts'], 'file:vendor/kratos-ts-0.1.0.tgz');
      npm(['install'], blog);
      ok(npx(['proto', 'lint', 'api'], blog));
      npm(['run', 'lint'], blog); // the same through an npm script
      // protoc, not our parser, accepts the API with third_party/ as its only extra include.
      const protoc = spawnSync('protoc', ['-I', '.', '-I', 'third_party', '--descriptor_set_out=/dev/null', 'api/blog/v1/greeter.proto'], { cwd: blog, encoding: 'utf8' });
      assert.equal(protoc.status, 0, protoc.stderr);
      assert.match(npm(['test'], blog).stdout, /pass 2/);
    });

    it('should depend on the registry version of kratos-ts by default', () => {
      ok(npx(['new', 'plain', '--dir', dir], join(dir, 'tools')));
      assert.equal((JSON.parse(readFileSync(join(dir, 'plain', 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies['kratos-ts'], '0.1.0');
    });

    it('should add a proto, generate its client, server and a cache wrapper, and build them', { timeout: 60_000 }, () => {
      ok(npx(['proto', 'add', 'api/blog/v1/post.proto'], blog));
      ok(npx(['proto', 'client', 'api/blog/v1/post.proto'], blog));
      ok(npx(['proto', 'server', 'api/blog/v1/post.proto', '-t', 'src/service'], blog));
      ok(npx(['gen', 'cache', 'src/biz/greeter.ts', '--type', 'GreeterRepo'], blog));
      ok(npx(['proto', 'lint', 'api'], blog));
      for (const f of ['api/blog/v1/post.pb.ts', 'api/blog/v1/post.openapi.json', 'src/service/post-service.ts', 'src/biz/greeter.cache.ts']) assert.ok(existsSync(join(blog, f)), f);
      // As the template README says: list the new service in the service module.
      const mod = join(blog, 'src/service/service.module.ts');
      writeFileSync(mod, readFileSync(mod, 'utf8').replace("import { GreeterService } from './greeter-service.js';", "import { GreeterService } from './greeter-service.js';\nimport { PostService } from './post-service.js';").replace('services: [GreeterService]', 'services: [GreeterService, PostService]'));
      npm(['run', 'build'], blog);
      assert.ok(existsSync(join(blog, 'dist/src/service/post-service.js')));
      assert.ok(existsSync(join(blog, 'dist/api/blog/v1/greeter.proto')), 'the build carries the protos dist/ loads');
    });

    it('should serve when started from another directory, with metrics promtool accepts', { timeout: 60_000 }, async () => {
      blogServer = serve([process.execPath, join(blog, 'dist', 'main.js')], '/');
      const { http } = await blogServer.listening();
      assert.deepEqual(await (await fetch(`${http}/hello/kratos`)).json(), { message: 'Hello kratos' });
      assert.equal((await fetch(`${http}/healthz`)).status, 200);
      assert.equal((await fetch(`${http}/readyz`)).status, 200);
      // The generated clients, loaded from the build, reach the generated server's 501 stubs on both transports.
      const pb = (await import(pathToFileURL(join(blog, 'dist/api/blog/v1/post.pb.js')).href)) as Record<string, (o: { endpoint: string }) => Record<string, (req: object) => Promise<unknown>> & { close(): void }>;
      const { grpc } = await blogServer.listening();
      for (const client of [pb['createPostGrpcClient']?.({ endpoint: grpc }), pb['createPostHttpClient']?.({ endpoint: http })]) {
        assert.ok(client !== undefined);
        const err = (await client['getPost']?.({ id: '1' }).catch((e: unknown) => e)) as { code: number; reason: string };
        assert.deepEqual([err.code, err.reason], [501, 'UNIMPLEMENTED']);
        client.close();
      }
      promtool(await (await fetch(`${http}/metrics`)).text());
    });

    it('should build a second service that calls the first through a generated client (docs/cli.md)', { timeout: 180_000 }, async () => {
      assert.ok(blogServer !== undefined);
      const blogAt = await blogServer.listening();
      ok(npx(['new', 'portal', '--kratos', tarball], join(dir, 'tools')));
      npm(['install'], portal);
      mkdirSync(join(portal, 'api/blog/v1'), { recursive: true });
      writeFileSync(join(portal, 'api/blog/v1/greeter.proto'), readFileSync(join(blog, 'api/blog/v1/greeter.proto')));
      ok(npx(['proto', 'client', 'api/blog/v1/greeter.proto'], portal));
      const blocks = docsFileBlocks();
      assert.equal(blocks.length, 1, 'one block of files in the walkthrough');
      for (const b of blocks) {
        const r = spawnSync('sh', ['-ec', b], { cwd: portal, encoding: 'utf8' });
        assert.equal(r.status, 0, r.stderr);
      }
      assert.match(npm(['test'], portal, { BLOG_GRPC_ADDR: blogAt.grpc }).stdout, /pass 2/);

      const portalServer = serve([process.execPath, 'dist/main.js'], portal, { BLOG_GRPC_ADDR: blogAt.grpc });
      try {
        const { http } = await portalServer.listening();
        assert.deepEqual(await (await fetch(`${http}/hello/kratos`)).json(), { message: 'Hello kratos' });
        const missing = await fetch(`${http}/hello/error`);
        assert.equal(missing.status, 404);
        assert.equal(((await missing.json()) as { reason: string }).reason, 'USER_NOT_FOUND');
        promtool(await (await fetch(`${http}/metrics`)).text());

        // blog goes away: portal answers 503 without blog's address; its log keeps it.
        await stop(blogServer.child);
        const down = await fetch(`${http}/hello/someone`);
        const body = await down.text();
        assert.equal(down.status, 503, body);
        assert.deepEqual(JSON.parse(body), { code: 503, reason: '', message: 'service unavailable', metadata: {} });
        const port = blogAt.grpc.split(':')[1] as string;
        assert.ok(!body.includes(port) && !body.includes('127.0.0.1') && !/ECONNREFUSED|connect/i.test(body), body);
        await new Promise((r) => setTimeout(r, 200));
        assert.ok(portalServer.out().includes(port), 'the log line names the unreachable peer');
      } finally {
        await stop(portalServer.child);
      }
    });

    it('should rebuild and restart on a change, print the file, and leave no process behind on SIGTERM', { timeout: 120_000 }, async () => {
      // node_modules/.bin/kratos-ts is the symlink npx runs; started directly, the signal reaches it alone.
      const dev = serve([join(blog, 'node_modules', '.bin', 'kratos-ts'), 'run'], blog);
      try {
        const first = await dev.listening(1);
        const f = join(blog, 'src/biz/greeter.ts');
        writeFileSync(f, readFileSync(f, 'utf8').replace('`Hello ${name}`', '`Hi ${name}`'));
        const second = await dev.listening(2);
        assert.match(dev.out(), /kratos-ts run: src\/biz\/greeter\.ts changed: rebuilding and restarting/);
        assert.deepEqual(await (await fetch(`${second.http}/hello/kratos`)).json(), { message: 'Hi kratos' });
        await assert.rejects(fetch(`${first.http}/hello/kratos`), 'the first service is gone');
      } finally {
        const exited = new Promise<number | null>((r) => dev.child.once('exit', (code) => r(code)));
        dev.child.kill('SIGTERM');
        assert.equal(await exited, 0, 'run exits with the service status after a graceful stop');
      }
      const pids = [...dev.out().matchAll(/started dist\/main\.js \(pid (\d+)\)/g)].map((m) => Number(m[1]));
      assert.equal(pids.length, 2);
      for (const pid of pids) assert.ok(await gone(pid), `service pid ${pid} is gone`);
      assert.match(dev.out(), /"msg":"stopping","signal":"SIGTERM"/, 'the service got the SIGTERM');
      const left = readdirSync('/proc').filter((p) => /^\d+$/.test(p) && running(p)).filter((p) => {
        try {
          return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(join(blog, 'dist'));
        } catch {
          return false;
        }
      });
      assert.deepEqual(left, []);
    });

    it('should build and run with the Dockerfile\'s steps, as a non-root user with a /healthz health check', { timeout: 120_000 }, async () => {
      const ignored = readFileSync(join(blog, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l !== '');
      for (const needed of ['package.json', 'package-lock.json', 'vendor', 'src', 'api', 'third_party', 'configs', 'main.ts']) assert.ok(!ignored.includes(needed), needed);
      assert.ok(ignored.includes('node_modules') && ignored.includes('dist'));
      const root = join(dir, 'image');
      const stages = runDockerfile(join(blog, 'Dockerfile'), blog, root, cleanEnv());
      assert.equal(stages.length, 2, 'multi-stage');
      const runtime = stages[1]!;
      assert.match(runtime.image, /^node:20-bookworm-slim$/);
      assert.equal(runtime.user, 'node');
      assert.deepEqual(runtime.expose, ['8000', '9000']);
      const app = stageDir(root, stages, runtime);
      assert.ok(!existsSync(join(app, 'node_modules', 'typescript')), 'dev dependencies are pruned');
      assert.ok(!existsSync(join(app, 'src')), 'sources stay in the build stage');
      const image = serve(runtime.cmd as string[], app, { ...runtime.env, HTTP_ADDR: '127.0.0.1:0' });
      try {
        const { http } = await image.listening();
        const port = http.split(':').at(-1) as string;
        const hc = runtime.healthcheck as string[];
        assert.ok(hc.join(' ').includes('/healthz'));
        const probe = spawnSync(hc[0] as string, hc.slice(1), { cwd: app, env: cleanEnv({ HTTP_ADDR: `0.0.0.0:${port}` }), encoding: 'utf8' });
        assert.equal(probe.status, 0, probe.stderr);
        assert.deepEqual(await (await fetch(`${http}/hello/kratos`)).json(), { message: 'Hi kratos' });
      } finally {
        await stop(image.child);
      }
    });

    it('should ship a Kubernetes manifest whose probes, grace period and ports fit the app', () => {
      const docs = parseAllDocuments(readFileSync(join(blog, 'deploy/kubernetes.yaml'), 'utf8')).map((d) => d.toJS() as Record<string, any>);
      const deployment = docs.find((d) => d['kind'] === 'Deployment');
      const service = docs.find((d) => d['kind'] === 'Service');
      assert.ok(deployment !== undefined && service !== undefined);
      const pod = deployment['spec'].template;
      const container = pod.spec.containers[0];
      assert.equal(container.readinessProbe.httpGet.path, '/readyz');
      assert.equal(container.livenessProbe.httpGet.path, '/healthz');
      assert.equal(pod.metadata.annotations['prometheus.io/scrape'], 'true');
      assert.equal(pod.metadata.annotations['prometheus.io/path'], '/metrics');
      assert.equal(pod.spec.securityContext.runAsNonRoot, true);
      const main = readFileSync(join(blog, 'main.ts'), 'utf8');
      const stopTimeout = Number(/stopTimeout: ([\d_]+)/.exec(main)?.[1]?.replace(/_/g, ''));
      const drain = Number(/inKubernetes \? ([\d_]+)/.exec(main)?.[1]?.replace(/_/g, ''));
      assert.ok(stopTimeout > 0 && drain >= 0);
      assert.ok(pod.spec.terminationGracePeriodSeconds * 1000 > stopTimeout + drain, 'SIGKILL comes after the app has stopped');
      const ports = Object.fromEntries(container.ports.map((p: { name: string; containerPort: number }) => [p.name, p.containerPort]));
      assert.deepEqual(ports, { http: 8000, grpc: 9000 });
      assert.deepEqual(service['spec'].ports.map((p: { name: string; targetPort: string }) => [p.name, p.targetPort]), [['http', 'http'], ['grpc', 'grpc']]);
    });
  });
});
