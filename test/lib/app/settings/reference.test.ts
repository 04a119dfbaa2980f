import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { appConfigReference, CONFIG_SECTIONS, resolveSettings } from '../../../../lib/app/settings/index.js';
import { Config, fileSource } from '../../../../lib/config/index.js';
import { REFERENCE_END, REFERENCE_START, withReference } from '../../../../lib/settings/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../..');
const doc = readFileSync(resolve(root, 'docs/config-and-logging.md'), 'utf8');

describe('the config reference in docs/config-and-logging.md', () => {
  it('should be the table the settings generate (run `npm run docs:config` after changing a setting)', () => {
    assert.ok(doc.includes(REFERENCE_START) && doc.includes(REFERENCE_END), 'the markers are missing');
    assert.equal(withReference(doc, appConfigReference()), doc);
  });

  it('should list every config key once', () => {
    const keys = CONFIG_SECTIONS.flatMap((s) => Object.values(s).map((x) => x.spec.key)).filter((k) => k !== undefined);
    const rows = doc.slice(doc.indexOf(REFERENCE_START), doc.indexOf(REFERENCE_END)).split('\n').filter((l) => l.startsWith('| `'));
    assert.deepEqual(rows.map((r) => /^\| `([^`]+)`/.exec(r)?.[1]), keys);
    assert.equal(new Set(keys).size, keys.length);
  });
});

describe('the config example in docs/config-and-logging.md', () => {
  it('should resolve to the settings it describes', async () => {
    const yaml = /```yaml\n# configs\/config.yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    assert.ok(yaml !== undefined, 'the example is missing');
    const dir = mkdtempSync(join(tmpdir(), 'kratos-docs-config-'));
    try {
      writeFileSync(join(dir, 'config.yaml'), yaml);
      const config = new Config({ sources: [fileSource(dir)], env: {} });
      await config.load();
      const s = resolveSettings({ http: { timeout: '5s' } }, config, 'Docs');
      assert.deepEqual(s.http, { addr: '0.0.0.0:8000', timeout: 5000, markupBodies: false, maxConnections: 10_000 });
      assert.deepEqual(s.grpc, { addr: '0.0.0.0:9000', timeout: 1000, health: true, reflection: true });
      assert.deepEqual(s.metrics, { path: '/metrics', addr: '127.0.0.1:9090', runtime: true });
      assert.deepEqual(s.tracing, { exporter: 'otlp', endpoint: 'http://collector:4318/v1/traces', sampleRatio: 0.1, resource: {} });
      assert.equal(s.cache.memory.maxBytes, 128 * 1024 * 1024);
      await config.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
