import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { serve, stop } from './helpers/processes.js';

// What the package's entries load (scripts/bundle-runtime.mjs): the suite itself runs on tsc's output
// through the kratos-ts-unbundled condition, so these tests look at the bundle from processes started
// without it, the way an app starts.
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { exports: Record<string, string | Record<string, string>> };
const entries = Object.entries(pkg.exports).filter((e): e is [string, Record<string, string>] => typeof e[1] === 'object');
const helloworld = join(repo, 'dist', 'samples', 'helloworld');
const run = promisify(execFile);

/** Runs an ES module snippet in a plain `node` (no export condition) beside the helloworld sample; its stdout. */
function node(code: string, flags: string[] = []): string {
  const r = spawnSync(process.execPath, [...flags, '--input-type=module', '-e', code], { cwd: helloworld, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

describe('the bundled runtime behind the package entries', () => {
  it('should be what `kratos-ts` and every subpath resolve to without a condition, and tsc output with kratos-ts-unbundled', () => {
    const specifiers = entries.map(([subpath]) => `kratos-ts${subpath.slice(1)}`);
    const resolved = JSON.parse(node(`console.log(JSON.stringify(${JSON.stringify(specifiers)}.map((s) => import.meta.resolve(s))))`)) as string[];
    entries.forEach(([, target], i) => assert.equal(resolved[i], pathToFileURL(join(repo, target['default'] as string)).href));
    const unbundled = JSON.parse(node(`console.log(JSON.stringify(${JSON.stringify(specifiers)}.map((s) => import.meta.resolve(s))))`, ['--conditions=kratos-ts-unbundled'])) as string[];
    entries.forEach(([, target], i) => assert.equal(unbundled[i], pathToFileURL(join(repo, target['kratos-ts-unbundled'] as string)).href));
  });

  it('should offer from each entry exactly the names of the compiled entry', async () => {
    for (const [subpath, target] of entries) {
      const bundled = Object.keys(await import(pathToFileURL(join(repo, target['default'] as string)).href)).sort();
      const compiled = Object.keys(await import(pathToFileURL(join(repo, target['kratos-ts-unbundled'] as string)).href)).sort();
      assert.deepEqual(bundled, compiled, subpath);
    }
  });

  it('should share one copy of each class between entries, and compile from its code cache', () => {
    const out = node(`
      const root = await import('kratos-ts'); const errs = await import('kratos-ts/errors'); const testing = await import('kratos-ts/testing');
      const decorators = await import('kratos-ts/decorators'); const { codeCacheUsed } = await import(${JSON.stringify(pathToFileURL(join(repo, 'dist', 'bundle', 'runtime.js')).href)});
      class Hello { hi() { return { hi: 'there' }; } }
      decorators.Get('/hi')(Hello.prototype, 'hi'); decorators.Service()(Hello);
      class Root {} decorators.Module({ services: [Hello] })(Root);
      const t = await testing.createTestApp(Root);
      const reply = await fetch(t.httpUrl + '/hi').then((r) => r.json());
      await t.close();
      console.log(JSON.stringify({ same: root.KratosError === errs.KratosError && root.errors.KratosError === errs.KratosError, reply, codeCacheUsed }));`);
    assert.deepEqual(JSON.parse(out), { same: true, reply: { hi: 'there' }, codeCacheUsed: true });
  });

  it('should map stack traces to lib/*.ts under --enable-source-maps', () => {
    const stack = node(`const { loadErrors } = await import('kratos-ts'); try { loadErrors('no/such.proto', 'X'); } catch (e) { console.log(e.stack); }`, ['--enable-source-maps']);
    assert.match(stack, /KRATOS_ERR_PROTO_INVALID/);
    assert.match(stack, /lib[\\/]proto[\\/][\w-]+\.ts:\d+/);
  });

  it('should serve the helloworld sample (npm start) on HTTP and, to an independent python3-grpcio client, on gRPC', async () => {
    const s = serve([process.execPath, 'main.js'], helloworld, { ...process.env, HTTP_ADDR: '127.0.0.1:0', GRPC_ADDR: '127.0.0.1:0', LOG_LEVEL: 'info' });
    try {
      const { http, grpc } = await s.listening();
      const reply = await fetch(`${http}/helloworld/kratos`);
      assert.equal(reply.status, 200);
      assert.deepEqual(await reply.json(), { message: 'Hello kratos' });
      const missing = await fetch(`${http}/helloworld/error`);
      assert.equal(missing.status, 404);
      assert.equal(((await missing.json()) as { reason: string }).reason, 'USER_NOT_FOUND');
      const script = join(repo, 'test', 'interop', 'grpc_client.py');
      const { stdout } = await run('/usr/bin/python3', [script, grpc.split(':')[1] as string], { timeout: 20_000 });
      const py = JSON.parse(stdout) as { message: string; error: { reason: string }; health: number; services: string[] };
      assert.equal(py.message, 'Hello py');
      assert.equal(py.error.reason, 'USER_NOT_FOUND');
      assert.equal(py.health, 1);
      assert.ok(py.services.includes('grpc.reflection.v1.ServerReflection'), py.services.join());
    } finally {
      await stop(s.child);
    }
  });
});
