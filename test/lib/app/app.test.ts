import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Get, Module, Service } from '../../../decorators/index.js';
import { createApp, APP_INFO, type AppInfo } from '../../../lib/app/index.js';
import { FrameworkError } from '../../../lib/errors/index.js';
import { NoopLogger } from '../../../lib/log/index.js';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const quiet = { logger: new NoopLogger(), configDir: false as const, signals: [] };

describe('App', () => {
  describe('.start and .stop', () => {
    it('should follow the Kratos order with provider hooks outermost', async () => {
      const calls: string[] = [];
      @Service() class Db {
        onInit() { calls.push('provider onInit'); }
        onStart() { calls.push('provider onStart'); }
        onStop() { calls.push('provider onStop'); }
        onDestroy() { calls.push('provider onDestroy'); }
      }
      @Service() class Api { constructor(readonly db: Db) {} @Get('/x') x() { return {}; } }
      @Module({ providers: [Db], services: [Api] }) class AppModule {}
      const app = await createApp(AppModule, {
        ...quiet,
        http: { addr: '127.0.0.1:0' },
        hooks: {
          beforeStart: () => void calls.push(`beforeStart listening=${app.endpoints.length}`),
          afterStart: [() => void calls.push(`afterStart listening=${app.endpoints.length}`), () => void calls.push('afterStart 2')],
          beforeStop: () => void calls.push('beforeStop'),
          afterStop: () => void calls.push('afterStop'),
        },
      });
      await app.start();
      await app.stop();
      assert.deepEqual(calls, [
        'provider onInit', 'provider onStart', 'beforeStart listening=0', 'afterStart listening=1', 'afterStart 2',
        'beforeStop', 'afterStop', 'provider onStop', 'provider onDestroy',
      ]);
    });

    it('should refuse to start twice, and let stop be called twice', async () => {
      @Module({}) class AppModule {}
      const app = await createApp(AppModule, { ...quiet, http: { addr: '127.0.0.1:0' } });
      await app.start();
      await assert.rejects(app.start(), (e) => FrameworkError.isFrameworkError(e) && e.code === 'KRATOS_ERR_APP_STATE');
      await Promise.all([app.stop(), app.stop()]);
    });

    it('should stop started providers when a server cannot listen', async () => {
      const calls: string[] = [];
      @Service() class Db { onStart() { calls.push('start'); } onStop() { calls.push('stop'); } }
      @Module({ providers: [Db] }) class AppModule {}
      const first = await createApp(AppModule, { ...quiet, http: { addr: '127.0.0.1:0' } });
      await first.start();
      const port = first.http?.port ?? 0;
      const second = await createApp(AppModule, { ...quiet, http: { addr: `127.0.0.1:${port}` } });
      await assert.rejects(second.start(), (e) => FrameworkError.isFrameworkError(e) && e.code === 'KRATOS_ERR_ADDRESS_INVALID');
      await first.stop();
      assert.deepEqual(calls, ['start', 'start', 'stop', 'stop']);
    });
  });

  describe('.endpoints', () => {
    it('should resolve port 0 and advertise a real address for a wildcard host', async () => {
      @Module({}) class AppModule {}
      const app = await createApp(AppModule, { ...quiet, http: { addr: '0.0.0.0:0' } });
      await app.start();
      try {
        const [ep] = app.endpoints;
        assert.match(ep ?? '', /^http:\/\/[^/]+:\d+$/);
        const url = new URL(ep as string);
        assert.notEqual(url.hostname, '0.0.0.0');
        assert.notEqual(url.port, '0');
        assert.equal(Number(url.port), app.http?.port);
      } finally {
        await app.stop();
      }
    });

    it('should be visible to providers through the AppInfo token', async () => {
      @Module({}) class AppModule {}
      const app = await createApp(AppModule, { ...quiet, name: 'svc', version: '2', http: { addr: '127.0.0.1:0' } });
      await app.start();
      try {
        const info = app.get<AppInfo>(APP_INFO);
        assert.equal(info.name, 'svc');
        assert.equal(info.version, '2');
        assert.deepEqual(info.endpoints, app.endpoints);
      } finally {
        await app.stop();
      }
    });
  });

  describe('having hooks with bad names', () => {
    it('should fail at creation with a coded error', async () => {
      @Module({}) class AppModule {}
      await assert.rejects(createApp(AppModule, { ...quiet, hooks: { beforeStrat: () => {} } as never }), (e) =>
        FrameworkError.isFrameworkError(e) && e.code === 'KRATOS_ERR_HOOK_INVALID' && e.message.includes('beforeStrat'));
    });
  });

  describe('having two apps in one process', () => {
    it('should keep their state apart', async () => {
      @Service() class Counter { n = 0; }
      @Service() class Api {
        constructor(readonly c: Counter) {}
        @Get('/inc') inc() { return { n: ++this.c.n }; }
      }
      @Module({ providers: [Counter], services: [Api] }) class AppModule {}
      const a = await createApp(AppModule, { ...quiet, http: { addr: '127.0.0.1:0' } });
      const b = await createApp(AppModule, { ...quiet, http: { addr: '127.0.0.1:0' } });
      await Promise.all([a.start(), b.start()]);
      try {
        const call = async (app: typeof a) => ((await (await fetch(`http://127.0.0.1:${app.http?.port}/inc`)).json()) as { n: number }).n;
        assert.equal(await call(a), 1);
        assert.equal(await call(a), 2);
        assert.equal(await call(b), 1);
        assert.notEqual(a.get(Counter), b.get(Counter));
      } finally {
        await Promise.all([a.stop(), b.stop()]);
      }
    });
  });

  describe('having an unhandled promise rejection while running', () => {
    it('should log it and keep serving', async () => {
      const script = fileURLToPath(new URL('../../fixtures/apps/unhandled-rejection.js', import.meta.url));
      const { stdout } = await promisify(execFile)(process.execPath, [script], { timeout: 10_000 });
      assert.match(stdout, /ERROR msg=unhandled promise rejection error=Error: nobody handles this/);
      assert.match(stdout, /STATUS 200/);
    });
  });
});
