import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createTestApp, type TestApp } from 'kratos-ts/testing';
import { GreeterRepo } from '../src/biz/greeter.js';
import { AppModule } from '../src/server/app.module.js';

describe('helloworld', () => {
  describe('GET /helloworld/{name}', () => {
    let t: TestApp;
    before(async () => {
      t = await createTestApp(AppModule);
    });
    after(() => t.close());

    it('should greet by name', async () => {
      const res = await fetch(`${t.httpUrl}/helloworld/kratos`);
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { message: 'Hello kratos' });
    });

    it('should answer 404 USER_NOT_FOUND for the name error', async () => {
      const res = await fetch(`${t.httpUrl}/helloworld/error`);
      assert.equal(res.status, 404);
      assert.deepEqual(await res.json(), { code: 404, reason: 'USER_NOT_FOUND', message: 'user not found: error', metadata: {} });
    });

    it('should answer an unknown route with a Kratos 404 body', async () => {
      const res = await fetch(`${t.httpUrl}/nope`);
      assert.equal(res.status, 404);
      assert.equal(((await res.json()) as { reason: string }).reason, 'NOT_FOUND');
    });
  });

  describe('having the repository overridden', () => {
    it('should greet through the fake repository', async () => {
      const t = await createTestApp(AppModule, {
        overrides: [{ provide: GreeterRepo, useValue: { find: async () => ({ name: 'fake' }) } }],
      });
      try {
        const res = await fetch(`${t.httpUrl}/helloworld/anyone`);
        assert.deepEqual(await res.json(), { message: 'Hello fake' });
      } finally {
        await t.close();
      }
    });
  });

  describe('main.js', () => {
    it('should serve on HTTP_ADDR, log JSON lines with service.name and the call fields, and exit 0 on SIGTERM', async () => {
      const main = fileURLToPath(new URL('../main.js', import.meta.url));
      const child = spawn(process.execPath, [main], { env: { ...process.env, HTTP_ADDR: '127.0.0.1:0', GRPC_ADDR: '127.0.0.1:0' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no listening line in:\n${out}`)), 10_000);
        child.stdout.on('data', () => {
          const m = /server listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (m) {
            clearTimeout(timer);
            resolve(m[1] as string);
          }
        });
      });
      const res = await fetch(`${url}/helloworld/kratos`);
      assert.deepEqual(await res.json(), { message: 'Hello kratos' });
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      child.kill('SIGTERM');
      assert.equal(await exited, 0, out);
      const lines = out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
      assert.ok(lines.every((l) => l['service.name'] === 'helloworld'), out);
      const call = lines.find((l) => l['operation'] === '/helloworld.v1.Greeter/SayHello');
      assert.ok(call !== undefined, out);
      for (const k of ['kind', 'component', 'args', 'code', 'reason', 'stack', 'latency', 'ts']) assert.ok(k in call, `${k} missing in ${JSON.stringify(call)}`);
      assert.equal(call['code'], 200);
      assert.equal(call['level'], 'info');
    });
  });
});
