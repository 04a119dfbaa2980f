import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deepMerge, loadConfigPath, parseDuration, resolvePlaceholders, StaticConfig } from '../../../lib/config/index.js';
import { FrameworkError } from '../../../lib/errors/index.js';

describe('StaticConfig', () => {
  describe('.get', () => {
    it('should read dotted keys and give undefined for missing ones', () => {
      const c = new StaticConfig({ server: { http: { addr: ':8000' } } });
      assert.equal(c.get('server.http.addr'), ':8000');
      assert.equal(c.get('server.grpc.addr'), undefined);
      assert.equal(c.get('server.http.addr.deeper'), undefined);
    });
  });
});

describe('deepMerge', () => {
  it('should merge objects key by key, replace everything else, and drop polluting keys', () => {
    const merged = deepMerge({ a: { b: 1, c: [1, 2] }, d: 1 }, JSON.parse('{"a":{"c":[3]},"__proto__":{"polluted":1}}') as Record<string, unknown>);
    assert.deepEqual(merged, { a: { b: 1, c: [3] }, d: 1 });
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  });
});

describe('resolvePlaceholders', () => {
  describe('having ${KEY:default} strings', () => {
    it('should take the environment first, then the tree, then the default', () => {
      const tree = { port: 9000, a: '${HTTP_ADDR:0.0.0.0:8000}', b: '${port}', c: '${NOPE:fallback}', d: 'x-${NOPE}-y' };
      assert.deepEqual(resolvePlaceholders(tree, { HTTP_ADDR: '127.0.0.1:1' }), {
        port: 9000, a: '127.0.0.1:1', b: 9000, c: 'fallback', d: 'x--y',
      });
    });

    it('should type a whole placeholder and keep embedded ones as strings', () => {
      const tree = { n: '${N:8000}', f: '${F:0.5}', t: '${T:true}', s: 'port ${N:8000}' };
      assert.deepEqual(resolvePlaceholders(tree, {}), { n: 8000, f: 0.5, t: true, s: 'port 8000' });
    });
  });
});

describe('loadConfigPath', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kratos-cfg-'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

  it('should merge yaml, yml and json files of a directory in name order, skipping hidden files', () => {
    writeFileSync(join(dir, 'a.yaml'), 'server:\n  http:\n    addr: ":1"\n    timeout: 1s\n');
    writeFileSync(join(dir, 'b.json'), '{"server":{"http":{"addr":":2"}}}');
    writeFileSync(join(dir, '.hidden.yaml'), 'server: broken');
    assert.deepEqual(loadConfigPath(dir), { server: { http: { addr: ':2', timeout: '1s' } } });
  });

  it('should name the file and line of a file that does not parse', () => {
    const bad = join(dir, 'bad.yml');
    writeFileSync(bad, 'a: 1\nb: [unclosed\n');
    assert.throws(() => loadConfigPath(bad), (e) =>
      FrameworkError.isFrameworkError(e) && e.code === 'KRATOS_ERR_CONFIG_INVALID' && e.message.includes(`${bad}:`));
  });

  it('should give an empty tree for a missing path', () => {
    assert.deepEqual(loadConfigPath(join(dir, 'none')), {});
  });
});

describe('parseDuration', () => {
  it('should read milliseconds and Go-style duration strings', () => {
    assert.equal(parseDuration(250, 'k'), 250);
    assert.equal(parseDuration('1s', 'k'), 1000);
    assert.equal(parseDuration('1.5s', 'k'), 1500);
    assert.equal(parseDuration('1m30s', 'k'), 90_000);
    assert.equal(parseDuration('500ms', 'k'), 500);
  });

  it('should name the key of a value that is not a duration', () => {
    assert.throws(() => parseDuration('soon', 'server.http.timeout'), (e) =>
      FrameworkError.isFrameworkError(e) && e.code === 'KRATOS_ERR_OPTIONS_INVALID' && e.message.includes('server.http.timeout'));
  });
});
