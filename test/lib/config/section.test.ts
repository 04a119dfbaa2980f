import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { Module, Service } from '../../../decorators/index.js';
import { Config, configSection } from '../../../lib/config/index.js';
import { createApp } from '../../../lib/app/index.js';
import { FrameworkError } from '../../../lib/errors/index.js';
import { NoopLogger } from '../../../lib/log/index.js';

const DbConfig = configSection('data.database', z.object({ driver: z.enum(['pg', 'mysql']), pool: z.number().int() }));
type DbConfig = InstanceType<typeof DbConfig>;

@Service() class Repo { constructor(readonly db: DbConfig) {} }
@Module({ providers: [DbConfig, Repo] }) class M {}

const dir = mkdtempSync(join(tmpdir(), 'kratos-section-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('configSection', () => {
  it('should inject a validated, typed section that follows hot reload', async () => {
    const file = join(dir, 'config.yaml');
    writeFileSync(file, 'data:\n  database:\n    driver: pg\n    pool: 5\n');
    const app = await createApp(M, { logger: new NoopLogger(), configDir: dir, http: false });
    try {
      const repo = app.get(Repo);
      assert.deepEqual(repo.db.value, { driver: 'pg', pool: 5 });
      const seen: unknown[] = [];
      repo.db.watch((v) => seen.push(v));
      writeFileSync(file, 'data:\n  database:\n    driver: mysql\n    pool: 9\n');
      const until = Date.now() + 3000;
      while (repo.db.value.driver !== 'mysql' && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(repo.db.value, { driver: 'mysql', pool: 9 });
      writeFileSync(file, 'data:\n  database:\n    driver: oracle\n    pool: 9\n');
      await new Promise((r) => setTimeout(r, 400));
      assert.equal(repo.db.value.driver, 'mysql', 'an invalid reload is refused');
      assert.deepEqual(seen, [{ driver: 'mysql', pool: 9 }]);
    } finally {
      await app.stop();
    }
  });

  it('should stop boot naming the key, the expected type and the file', async () => {
    const bad = mkdtempSync(join(tmpdir(), 'kratos-section-bad-'));
    writeFileSync(join(bad, 'config.yaml'), 'data:\n  database:\n    driver: pg\n    pool: many\n');
    try {
      await assert.rejects(createApp(M, { logger: new NoopLogger(), configDir: bad, http: false }), (e) =>
        FrameworkError.isFrameworkError(e) && e.message.includes('data.database.pool') && e.message.includes('number') && e.message.includes(join(bad, 'config.yaml')));
    } finally {
      rmSync(bad, { recursive: true, force: true });
    }
  });
});

describe('configSection without a schema', () => {
  const Blog = configSection<{ endpoint: string }>('blog');
  type Blog = InstanceType<typeof Blog>;
  const Extra = configSection<{ on: boolean }>('extra', undefined, { optional: true });
  type Extra = InstanceType<typeof Extra>;
  // Reads the sections in its constructor: they must be there already, not after onInit.
  @Service() class Client {
    readonly endpoint: string;
    readonly extra: boolean | undefined;
    constructor(blog: Blog, extra: Extra) {
      this.endpoint = blog.value.endpoint;
      this.extra = extra.value?.on;
    }
  }
  @Module({ providers: [Blog, Extra, Client] }) class BlogModule {}

  it('should stop boot with a coded error naming a missing section', async () => {
    await assert.rejects(createApp(BlogModule, { logger: new NoopLogger(), configDir: false, http: false }), (e) =>
      FrameworkError.isFrameworkError(e) && e.code === 'KRATOS_ERR_CONFIG_INVALID' && e.message.includes("config section 'blog' is missing") && e.hint.includes('optional: true'));
  });

  it('should give constructors the section, and undefined for a missing optional one', async () => {
    const app = await createApp(BlogModule, { logger: new NoopLogger(), configDir: false, http: false, config: { blog: { endpoint: '127.0.0.1:9000' } } });
    try {
      assert.equal(app.get(Client).endpoint, '127.0.0.1:9000');
      assert.equal(app.get(Client).extra, undefined);
    } finally {
      await app.stop();
    }
  });

  it('should validate with an asynchronous schema at onInit, and say so when read earlier', async () => {
    const asyncSchema = { '~standard': { version: 1 as const, vendor: 'test', validate: async (v: unknown) => ({ value: v as { n: number } }) } };
    const Late = configSection('late', asyncSchema);
    const section = new Late(Config.fromObject({ late: { n: 1 } }));
    assert.throws(() => section.value, (e) => FrameworkError.isFrameworkError(e) && e.code === 'KRATOS_ERR_CONFIG_INVALID' && e.message.includes('before its asynchronous schema'));
    await (section as unknown as { onInit(): Promise<void> }).onInit();
    assert.deepEqual(section.value, { n: 1 });
  });
});

describe('AppOptions.configSchema', () => {
  it('should refuse a bad configuration at boot with every bad key and its file', async () => {
    const bad = mkdtempSync(join(tmpdir(), 'kratos-schema-bad-'));
    writeFileSync(join(bad, 'config.yaml'), 'server:\n  http:\n    timeout: 5\n');
    @Module({}) class Empty {}
    try {
      await assert.rejects(
        createApp(Empty, { logger: new NoopLogger(), configDir: bad, http: false, configSchema: z.object({ server: z.object({ http: z.object({ timeout: z.string() }) }) }) }),
        (e) => FrameworkError.isFrameworkError(e) && e.code === 'KRATOS_ERR_CONFIG_INVALID' && e.message.includes('server.http.timeout') && e.message.includes('string') && e.message.includes('config.yaml'),
      );
    } finally {
      rmSync(bad, { recursive: true, force: true });
    }
  });
});
