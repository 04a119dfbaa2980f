import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module } from '../../../decorators/index.js';
import { changedKeys, Config, describeChanges, fileSource, looksSecret, type ConfigChange } from '../../../lib/config/index.js';
import { createApp, defaultConfigDir } from '../../../lib/app/index.js';
import { Logger, type Level } from '../../../lib/log/index.js';

class Capture extends Logger {
  readonly lines: Record<string, unknown>[] = [];
  log(level: Level, ...kv: unknown[]): void {
    const rec: Record<string, unknown> = { level };
    for (let i = 0; i + 1 < kv.length; i += 2) rec[String(kv[i])] = kv[i + 1];
    this.lines.push(rec);
  }
}

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'kratos-changes-'));
  dirs.push(d);
  return d;
};
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const until = async (cond: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  assert.ok(cond(), 'timed out');
};

describe('changedKeys', () => {
  it('should list the changed, added and removed leaf keys in order, lists compared whole', () => {
    const before = { a: { b: 1, c: 'x' }, list: [1, 2], gone: { deep: true } };
    const after = { a: { b: 2, c: 'x', d: null }, list: [1, 2, 3] };
    assert.deepEqual(changedKeys(before, after), [
      { key: 'a.b', before: 1, after: 2 },
      { key: 'a.d', before: undefined, after: null },
      { key: 'gone.deep', before: true, after: undefined },
      { key: 'list', before: [1, 2], after: [1, 2, 3] },
    ]);
    assert.deepEqual(changedKeys({ a: 1 }, { a: 1 }), []);
  });

  it('should redact the values of keys that look secret', () => {
    for (const k of ['db.password', 'auth.jwt.secret', 'api.token', 'aws.accessKey', 'redis.passwd', 'tls.key', 'tls.private_key', 'data.dsn', 'api_key']) assert.ok(looksSecret(k), k);
    for (const k of ['server.http.addr', 'log.level', 'cache.keyPrefix', 'monkey']) assert.ok(!looksSecret(k), k);
    const lines = describeChanges([{ key: 'log.level', before: 'info', after: 'debug' }, { key: 'db.password', before: 'hunter2', after: 'hunter3' }]);
    assert.deepEqual(lines, ['log.level: "info" -> "debug"', 'db.password: [redacted]']);
  });
});

describe('Config onReload', () => {
  it('should report the keys a file reload changed, once per reload that changed something', async () => {
    const d = tmp();
    writeFileSync(join(d, 'config.yaml'), 'log:\n  level: info\ndb:\n  password: a\n');
    const seen: { changes: ConfigChange[]; source: string }[] = [];
    const c = new Config({ sources: [fileSource(d)], onReload: (changes, source) => seen.push({ changes, source }) });
    await c.load();
    try {
      writeFileSync(join(d, 'config.yaml'), 'log:\n  level: debug\ndb:\n  password: b\n');
      await until(() => seen.length > 0);
      assert.deepEqual(seen[0]?.changes.map((x) => x.key), ['db.password', 'log.level']);
      assert.match(seen[0]?.source ?? '', /file:/);
    } finally {
      await c.close();
    }
  });
});

describe('createApp config in development', () => {
  @Module({}) class Empty {}

  it('should log which keys a reload changed, secrets redacted', async () => {
    const d = tmp();
    writeFileSync(join(d, 'config.yaml'), 'greeting:\n  prefix: Hi\ndb:\n  password: s3cret\n');
    const logger = new Capture();
    const app = await createApp(Empty, { logger, configDir: d, http: false });
    try {
      writeFileSync(join(d, 'config.yaml'), 'greeting:\n  prefix: Hello\ndb:\n  password: n3w-s3cret\n');
      await until(() => logger.lines.some((l) => l['msg'] === 'config reloaded'));
      const line = logger.lines.find((l) => l['msg'] === 'config reloaded') as Record<string, unknown>;
      assert.deepEqual(line['changed'], ['db.password: [redacted]', 'greeting.prefix: "Hi" -> "Hello"']);
      assert.equal(line['level'], 'info');
      assert.ok(!JSON.stringify(line).includes('s3cret'));
    } finally {
      await app.stop();
    }
  });

  it('should read configs/ at the project root when there is none beside the entry', () => {
    const root = tmp();
    writeFileSync(join(root, 'package.json'), '{}');
    mkdirSync(join(root, 'configs'));
    mkdirSync(join(root, 'dist', 'src'), { recursive: true });
    assert.equal(defaultConfigDir(join(root, 'dist', 'main.js')), join(root, 'configs'));
    assert.equal(defaultConfigDir(join(root, 'dist', 'src', 'x.js')), join(root, 'configs'));
    mkdirSync(join(root, 'dist', 'configs'));
    assert.equal(defaultConfigDir(join(root, 'dist', 'main.js')), join(root, 'dist', 'configs'), 'beside the entry wins');
    const bare = tmp();
    writeFileSync(join(bare, 'package.json'), '{}');
    assert.equal(defaultConfigDir(join(bare, 'main.js')), undefined);
  });
});
