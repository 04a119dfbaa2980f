import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { Config, deepMerge, envSource, fileSource, memorySource, parseDuration, resolvePlaceholders } from '../../../lib/config/index.js';
import { FrameworkError } from '../../../lib/errors/index.js';

const coded = (code: string, ...parts: string[]) => (e: unknown) => {
  assert.ok(FrameworkError.isFrameworkError(e), String(e));
  assert.equal(e.code, code);
  for (const p of parts) assert.ok(e.message.includes(p), `'${p}' not in: ${e.message}`);
  return true;
};

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'kratos-cfg-'));
  dirs.push(d);
  return d;
};
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('Config', () => {
  describe('.load', () => {
    it('should merge sources in order, later winning, deeply', async () => {
      const c = new Config({ sources: [memorySource({ a: { x: 1, y: 1 }, list: [1, 2] }), memorySource({ a: { y: 2 }, list: [3] })] });
      await c.load();
      assert.deepEqual(c.get('a'), { x: 1, y: 2 });
      assert.deepEqual(c.get('list'), [3]);
      assert.equal(c.get('a.nope'), undefined);
    });

    it('should read a directory of yaml, yml and json files in name order, skipping hidden ones', async () => {
      const d = tmp();
      writeFileSync(join(d, 'a.yaml'), 'server:\n  http:\n    addr: ":1"\n    timeout: 1s\n');
      writeFileSync(join(d, 'b.json'), '{"server":{"http":{"addr":":2"}}}');
      writeFileSync(join(d, 'c.yml'), 'extra: true\n');
      writeFileSync(join(d, '.hidden.yaml'), 'server: broken');
      const c = new Config({ sources: [fileSource(d)] });
      await c.load();
      assert.deepEqual(c.get('server.http'), { addr: ':2', timeout: '1s' });
      assert.equal(c.get('extra'), true);
      assert.equal(c.originOf('server.http.addr'), join(d, 'b.json'));
      await c.close();
    });

    it('should name the file and line of a file that does not parse', async () => {
      const d = tmp();
      writeFileSync(join(d, 'bad.yaml'), 'a: 1\nb: [unclosed\n');
      await assert.rejects(new Config({ sources: [fileSource(d)] }).load(), coded('KRATOS_ERR_CONFIG_INVALID', join(d, 'bad.yaml') + ':'));
    });

    it('should read the environment, with a prefix and nesting separator', async () => {
      const env = { APP_SERVER__HTTP__ADDR: ':9', APP_DEBUG: 'true', OTHER: 'x' };
      const c = new Config({ sources: [envSource({ env, prefix: 'APP', separator: '__' })] });
      await c.load();
      assert.deepEqual(c.get(''), { server: { http: { addr: ':9' } }, debug: 'true' });
      const plain = new Config({ sources: [envSource({ env })] });
      await plain.load();
      assert.equal(plain.get('APP_DEBUG'), 'true');
    });
  });

  describe('placeholders', () => {
    it('should resolve ${KEY:default} from the environment, then the tree, with typed whole values', async () => {
      const c = new Config({
        sources: [memorySource({ port: 9000, a: '${HTTP_ADDR:0.0.0.0:8000}', b: '${port}', n: '${N:8000}', t: '${T:true}', s: 'port ${N:80}', none: '${NOPE}' })],
        env: { HTTP_ADDR: '127.0.0.1:1' },
      });
      await c.load();
      assert.deepEqual(c.get(''), { port: 9000, a: '127.0.0.1:1', b: 9000, n: 8000, t: true, s: 'port 80', none: '' });
    });
  });

  describe('.value', () => {
    it('should give typed accessors that name the key on a wrong type', () => {
      const c = Config.fromObject({ t: '1.5s', n: '42', b: 'true', s: 7, l: [1] });
      assert.equal(c.value('t').duration(), 1500);
      assert.equal(c.value('n').number(), 42);
      assert.equal(c.value('b').bool(), true);
      assert.equal(c.value('s').string(), '7');
      assert.deepEqual(c.value('l').list(), [1]);
      assert.equal(c.value('missing').number(5), 5);
      assert.throws(() => c.value('l').number(), coded('KRATOS_ERR_CONFIG_INVALID', 'l', 'a number'));
    });
  });

  describe('.scan', () => {
    it('should report every bad key with its type and source file', async () => {
      const d = tmp();
      writeFileSync(join(d, 'config.yaml'), 'server:\n  http:\n    timeout: fast\n    port: "80"\n');
      const c = new Config({ sources: [fileSource(d)] });
      await c.load();
      const schema = z.object({ server: z.object({ http: z.object({ timeout: z.number(), port: z.number() }) }) });
      await assert.rejects(c.scan(schema), coded('KRATOS_ERR_CONFIG_INVALID', 'server.http.timeout', 'server.http.port', 'number', join(d, 'config.yaml')));
      assert.deepEqual(await c.scan(z.object({ timeout: z.string() }), 'server.http'), { timeout: 'fast' });
      await c.close();
    });
  });

  describe('hot reload', () => {
    it('should swap the tree on a file change, drop removed keys, and fire each observer once per changed key', async () => {
      const d = tmp();
      const f = join(d, 'config.yaml');
      writeFileSync(f, 'a: 1\nb: 1\ngone: yes\n');
      const c = new Config({ sources: [fileSource(d, { debounce: 20 })] });
      await c.load();
      const seen: [string, unknown][] = [];
      c.watch('a', (v, k) => seen.push([k, v]));
      c.watch('b', (v, k) => seen.push([k, v]));
      c.watch('gone', (v, k) => seen.push([k, v]));
      writeFileSync(f, 'a: 2\nb: 1\n');
      const until = Date.now() + 3000;
      while (c.get('a') !== 2 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(c.get('a'), 2);
      assert.equal(c.get('gone'), undefined);
      assert.deepEqual(seen.sort(), [['a', 2], ['gone', undefined]]);
      await c.close();
    });

    it('should keep the previous tree when a changed file does not parse, and say so', async () => {
      const d = tmp();
      const f = join(d, 'config.yaml');
      writeFileSync(f, 'a: 1\n');
      const errors: string[] = [];
      const c = new Config({ sources: [fileSource(d, { debounce: 20 })], onError: (_e, src) => errors.push(src) });
      await c.load();
      writeFileSync(f, 'a: [broken\n');
      const until = Date.now() + 3000;
      while (errors.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
      assert.equal(c.get('a'), 1);
      assert.ok(errors.length > 0);
      await c.close();
    });

    it('should never show a reader a mix of old and new values', async () => {
      const d = tmp();
      const f = join(d, 'config.yaml');
      const doc = (n: number) => `a: ${n}\nb: ${n}\nc: { d: ${n} }\n`;
      writeFileSync(f, doc(0));
      const c = new Config({ sources: [fileSource(d, { debounce: 1 })] });
      await c.load();
      let torn = 0;
      let reads = 0;
      let stop = false;
      const hammer = (async () => {
        while (!stop) {
          const tree = c.get<{ a: number; b: number; c: { d: number } }>('');
          if (tree !== undefined && (tree.a !== tree.b || tree.b !== tree.c.d)) torn++;
          reads++;
          await new Promise((r) => setImmediate(r));
        }
      })();
      for (let i = 1; i <= 10; i++) {
        writeFileSync(f, doc(i));
        await new Promise((r) => setTimeout(r, 30));
      }
      stop = true;
      await hammer;
      assert.equal(torn, 0);
      assert.ok(reads > 100);
      await c.close();
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
  it('should leave a tree without placeholders as it is', () => {
    assert.deepEqual(resolvePlaceholders({ a: 'x', b: [1] }, {}), { a: 'x', b: [1] });
  });
});

describe('parseDuration', () => {
  it('should read milliseconds and Go-style duration strings, naming the key on junk', () => {
    assert.equal(parseDuration(250, 'k'), 250);
    assert.equal(parseDuration('1m30s', 'k'), 90_000);
    assert.equal(parseDuration('500ms', 'k'), 500);
    assert.throws(() => parseDuration('soon', 'server.http.timeout'), coded('KRATOS_ERR_OPTIONS_INVALID', 'server.http.timeout'));
  });
});
