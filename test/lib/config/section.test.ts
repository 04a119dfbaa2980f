import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { Module, Service } from '../../../decorators/index.js';
import { configSection } from '../../../lib/config/index.js';
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
