import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FrameworkError } from '../../../lib/errors/index.js';
import { Get, Module, Service } from '../../../decorators/index.js';
import { Config } from '../../../lib/config/index.js';
import { Logger, NoopLogger } from '../../../lib/log/index.js';
import { createTestApp } from '../../../lib/testing/index.js';

describe('createTestApp', () => {
  @Service() class Greeter {
    constructor(readonly config: Config, readonly log: Logger) {}
    @Get('/greet') greet() { return { prefix: this.config.get<string>('greeting.prefix') ?? 'Hello' }; }
  }
  @Module({ services: [Greeter] }) class AppModule {}

  it('should serve on 127.0.0.1 with an ephemeral port and a silent logger', async () => {
    const t = await createTestApp(AppModule);
    try {
      assert.match(t.httpUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.notEqual(new URL(t.httpUrl).port, '0');
      assert.ok(t.get(Greeter).log instanceof NoopLogger);
      assert.deepEqual(await (await fetch(`${t.httpUrl}/greet`)).json(), { prefix: 'Hello' });
    } finally {
      await t.close();
    }
  });

  it('should load the project\'s configs/ on request, with config merged over it and addresses kept local', async () => {
    // A project laid out as the template is: package.json, configs/, the entry under dist/.
    const root = mkdtempSync(join(tmpdir(), 'kratos-testapp-'));
    const entry = process.argv[1];
    try {
      writeFileSync(join(root, 'package.json'), '{}');
      mkdirSync(join(root, 'configs'));
      mkdirSync(join(root, 'dist', 'test'), { recursive: true });
      writeFileSync(join(root, 'configs', 'config.yaml'), 'server:\n  http:\n    addr: 0.0.0.0:8000\ngreeting:\n  prefix: Howdy\n  suffix: "!"\n');
      process.argv[1] = join(root, 'dist', 'test', 'x.test.js');
      const t = await createTestApp(AppModule, { projectConfigs: true, config: { greeting: { suffix: '?' } } });
      try {
        assert.match(t.httpUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
        assert.deepEqual(await (await fetch(`${t.httpUrl}/greet`)).json(), { prefix: 'Howdy' });
        assert.equal(t.get(Greeter).config.get('greeting.suffix'), '?');
      } finally {
        await t.close();
      }
      const plain = await createTestApp(AppModule);
      try {
        assert.deepEqual(await (await fetch(`${plain.httpUrl}/greet`)).json(), { prefix: 'Hello' }, 'off by default');
      } finally {
        await plain.close();
      }
      rmSync(join(root, 'configs'), { recursive: true });
      await assert.rejects(createTestApp(AppModule, { projectConfigs: true }), (e) => FrameworkError.isFrameworkError(e) && e.code === 'KRATOS_ERR_OPTIONS_INVALID' && e.message.includes('no configs/'));
    } finally {
      process.argv[1] = entry as string;
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('should feed in-memory config to the Config provider', async () => {
    const t = await createTestApp(AppModule, { config: { greeting: { prefix: 'Hi' } } });
    try {
      assert.deepEqual(await (await fetch(`${t.httpUrl}/greet`)).json(), { prefix: 'Hi' });
    } finally {
      await t.close();
    }
  });

  it('should override framework providers such as Config by token', async () => {
    class Fixed extends Config { override get<T>(key: string): T | undefined { return (key === 'greeting.prefix' ? 'Yo' : undefined) as T; } }
    const t = await createTestApp(AppModule, { overrides: [{ provide: Config, useValue: new Fixed() }] });
    try {
      assert.deepEqual(await (await fetch(`${t.httpUrl}/greet`)).json(), { prefix: 'Yo' });
    } finally {
      await t.close();
    }
  });

  it('should give every test app its own container', async () => {
    const [a, b] = await Promise.all([createTestApp(AppModule), createTestApp(AppModule)]);
    try {
      assert.notEqual(a.get(Greeter), b.get(Greeter));
      assert.notEqual(a.httpUrl, b.httpUrl);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
