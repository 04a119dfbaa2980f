import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module } from '../../../../decorators/index.js';
import { createApp, type AppOptions } from '../../../../lib/app/index.js';
import { CONFIG_SECTIONS, resolveSettings, type AppSettings } from '../../../../lib/app/settings/index.js';
import { Config, fileSource, memorySource } from '../../../../lib/config/index.js';
import { FrameworkError } from '../../../../lib/errors/index.js';
import { BAD_VALUES, CONFIG_SAMPLES, OPTION_SAMPLES } from './samples.js';

async function configOf(tree: Record<string, unknown>, env: NodeJS.ProcessEnv = {}): Promise<Config> {
  const c = new Config({ sources: [memorySource(tree)], env });
  await c.load();
  return c;
}

/** A config tree with `value` at the dotted `key`. */
function treeWith(key: string, value: unknown): Record<string, unknown> {
  const parts = key.split('.');
  let tree: Record<string, unknown> = { [parts.pop() as string]: value };
  while (parts.length > 0) tree = { [parts.pop() as string]: tree };
  return tree;
}

const keys = CONFIG_SECTIONS.flatMap((s) => Object.values(s).map((x) => x.spec.key)).filter((k): k is string => k !== undefined);

describe('app settings', () => {
  let otelDisabled: string | undefined;
  before(() => {
    otelDisabled = process.env['OTEL_SDK_DISABLED'];
    delete process.env['OTEL_SDK_DISABLED'];
  });
  after(() => {
    if (otelDisabled !== undefined) process.env['OTEL_SDK_DISABLED'] = otelDisabled;
  });

  it('should resolve every default from empty options and config', async () => {
    const s = resolveSettings({}, await configOf({}), 'Root');
    const want: AppSettings = {
      info: { id: `${hostname()}-${process.pid}`, name: 'Root', version: '', metadata: {} },
      lifecycle: { stopTimeout: 10_000, drainDelay: 0, registrarTimeout: 10_000, signals: ['SIGTERM', 'SIGQUIT', 'SIGINT'], rejections: 'log' },
      http: { addr: '0.0.0.0:8000', timeout: 1000, markupBodies: false },
      grpcWeb: { origins: '*' },
      grpc: { addr: '0.0.0.0:9000', timeout: 1000, health: true, reflection: true },
      protoPaths: [],
      ambientContext: true,
      exposeErrorDetail: false,
      log: { level: 'info', format: 'json', mask: ['password'], caller: false },
      metrics: { path: '/metrics', runtime: true },
      tracing: { resource: {} },
      health: true,
      registry: { endpoints: [], ttl: 15 },
      cache: { redis: { timeout: 200 }, memory: { maxBytes: 64 * 1024 * 1024, maxEntries: 100_000 } },
    };
    assert.deepEqual(s, want);
  });

  it('should turn tracing off by default under OTEL_SDK_DISABLED=true, and trace.enabled should win over it', async () => {
    process.env['OTEL_SDK_DISABLED'] = 'true';
    try {
      assert.equal(resolveSettings({}, await configOf({}), 'Root').tracing, false);
      assert.notEqual(resolveSettings({}, await configOf({ trace: { enabled: true } }), 'Root').tracing, false);
    } finally {
      delete process.env['OTEL_SDK_DISABLED'];
    }
  });

  it('should switch the ambient context off only with tracing off, refusing the pair with KRATOS_ERR_AMBIENT_CONTEXT_REQUIRED', async () => {
    assert.equal(resolveSettings({ ambientContext: false, tracing: false }, await configOf({}), 'Root').ambientContext, false);
    assert.equal(resolveSettings({ tracing: false }, await configOf({ server: { ambientContext: false } }), 'Root').ambientContext, false);
    const refused = (e: unknown): boolean => FrameworkError.isFrameworkError(e) && e.code === 'KRATOS_ERR_AMBIENT_CONTEXT_REQUIRED' && /ambientContext: false .*tracing on/.test(e.message) && /tracing: false/.test(e.hint);
    const empty = await configOf({});
    assert.throws(() => resolveSettings({ ambientContext: false }, empty, 'Root'), refused);
    const fromConfig = await configOf({ server: { ambientContext: false }, trace: { enabled: true } });
    assert.throws(() => resolveSettings({}, fromConfig, 'Root'), refused);
    @Module({}) class Root {}
    await assert.rejects(createApp(Root, { configDir: false, http: false, ambientContext: false }), refused);
  });

  it('should freeze the settings and their sections', async () => {
    const s = resolveSettings({ http: { addr: '127.0.0.1:0' } }, await configOf({}), 'Root');
    for (const part of [s, s.info, s.lifecycle, s.http, s.grpc, s.log, s.metrics, s.tracing, s.registry, s.cache, s.cache.redis]) assert.ok(Object.isFrozen(part));
  });

  it('should have a config sample, and a bad value, for every config key of the table', () => {
    assert.deepEqual(keys.filter((k) => !CONFIG_SAMPLES.some((c) => c.key === k)), []);
    assert.deepEqual(keys.filter((k) => !BAD_VALUES.some((b) => b[0] === k)), []);
  });

  describe('read from config', () => {
    for (const { key, raw, want, read } of CONFIG_SAMPLES) {
      it(`should read ${key} = ${JSON.stringify(raw)}`, async () => {
        assert.deepEqual(read(resolveSettings({}, await configOf(treeWith(key, raw)), 'Root')), want);
      });
    }
  });

  describe('precedence', () => {
    for (const { option, value, key, configValue, want, read } of OPTION_SAMPLES) {
      it(`should take option ${option} over config ${key}`, async () => {
        const s = resolveSettings(value, await configOf(treeWith(key, configValue)), 'Root');
        assert.deepEqual(read(s), want);
      });
    }

    it('should read a ${VAR:default} placeholder from the environment, else its default', async () => {
      const tree = { server: { http: { addr: '${KRATOS_SETTINGS_ADDR:127.0.0.1:7000}' } } };
      assert.equal((resolveSettings({}, await configOf(tree, { KRATOS_SETTINGS_ADDR: '127.0.0.1:7001' }), 'Root').http as { addr: string }).addr, '127.0.0.1:7001');
      assert.equal((resolveSettings({}, await configOf(tree), 'Root').http as { addr: string }).addr, '127.0.0.1:7000');
    });

    it('should count an empty value (an unset ${VAR:} placeholder) as unset', async () => {
      const s = resolveSettings({}, await configOf({ data: { redis: { addr: '${KRATOS_SETTINGS_REDIS:}' } }, metrics: { addr: '' } }), 'Root');
      assert.equal(s.cache.redis.addr, undefined);
      assert.equal((s.metrics as { addr?: string }).addr, undefined);
    });

    it('should keep the options only an option can give (tls, filters, codecs) beside the resolved ones', async () => {
      const filters = [async (_ctx: unknown, next: () => Promise<void>) => next()];
      const s = resolveSettings({ http: { filters, bodyLimit: 10, grpcWeb: { exposeHeaders: ['x-a'] } } }, await configOf({}), 'Root');
      assert.equal((s.http as { filters?: unknown }).filters, filters);
      assert.equal((s.http as { bodyLimit?: number }).bodyLimit, 10);
      assert.deepEqual(s.grpcWeb, { origins: '*', exposeHeaders: ['x-a'] });
    });

    it('should leave servers out that options turn off', async () => {
      const s = resolveSettings({ http: false, grpc: false }, await configOf({ server: { http: { addr: '127.0.0.1:1' } } }), 'Root');
      assert.equal(s.http, false);
      assert.equal(s.grpcWeb, false);
      assert.equal(s.grpc, false);
    });
  });

  describe('bad values', () => {
    for (const [key, raw, expected] of BAD_VALUES) {
      it(`should refuse ${key} = ${JSON.stringify(raw)}, naming the key and the value`, async () => {
        const config = await configOf(treeWith(key, raw));
        assert.throws(() => resolveSettings({}, config, 'Root'), (e: unknown) => {
          assert.ok(FrameworkError.isFrameworkError(e));
          assert.equal(e.code, 'KRATOS_ERR_CONFIG_INVALID');
          assert.ok(e.message.includes(`config key ${key}: expected ${expected}, got ${JSON.stringify(raw)}`), e.message);
          return true;
        });
      });
    }

    it('should refuse a bad option with KRATOS_ERR_OPTIONS_INVALID naming the option', async () => {
      const bad: [AppOptions, string][] = [
        [{ http: { timeout: 'soon' } }, 'option http.timeout: expected a duration'],
        [{ grpc: { addr: 'nowhere' } }, 'option grpc.addr: expected a host:port address, got "nowhere"'],
        [{ tracing: { sampleRatio: 3 } }, 'option tracing.sampleRatio: expected a number from 0 to 1, got 3'],
        [{ stopTimeout: -1 }, 'option stopTimeout: expected a number >= 0, got -1'],
        [{ unhandledRejections: 'panic' as 'log' }, 'option unhandledRejections: expected one of log, exit, got "panic"'],
      ];
      for (const [options, message] of bad) {
        assert.throws(() => resolveSettings(options, Config.fromObject({}), 'Root'), (e: unknown) => {
          assert.ok(FrameworkError.isFrameworkError(e));
          assert.equal(e.code, 'KRATOS_ERR_OPTIONS_INVALID');
          assert.ok(e.message.includes(message), e.message);
          return true;
        });
      }
    });

    it('should stop createApp naming the key, the value and the file it came from', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'kratos-settings-'));
      try {
        writeFileSync(join(dir, 'config.yaml'), 'server:\n  http:\n    timeout: soon\n');
        @Module({}) class Empty {}
        await assert.rejects(createApp(Empty, { configDir: dir, grpc: false, metrics: false, tracing: false }), (e: unknown) => {
          assert.ok(FrameworkError.isFrameworkError(e));
          assert.equal(e.code, 'KRATOS_ERR_CONFIG_INVALID');
          assert.ok(e.message.includes(`config key server.http.timeout: expected a duration`), e.message);
          assert.ok(e.message.includes(`got "soon" (from ${join(dir, 'config.yaml')})`), e.message);
          return true;
        });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  it('should resolve the settings once from a file source too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kratos-settings-'));
    try {
      writeFileSync(join(dir, 'config.yaml'), 'server:\n  grpc:\n    timeout: 3s\ndata:\n  cache:\n    maxBytes: 1MiB\n');
      const config = new Config({ sources: [fileSource(dir)] });
      await config.load();
      const s = resolveSettings({}, config, 'Root');
      assert.equal((s.grpc as { timeout: number }).timeout, 3000);
      assert.equal(s.cache.memory.maxBytes, 1024 * 1024);
      await config.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
