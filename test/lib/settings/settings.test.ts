import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Config, memorySource } from '../../../lib/config/index.js';
import { FrameworkError } from '../../../lib/errors/index.js';
import {
  address, boolean, bytes, configReference, duration, Expected, list, mapOf, number, oneOf, pick, REFERENCE_END, REFERENCE_START,
  resolveSection, settingOf, text, withReference, type Kind,
} from '../../../lib/settings/index.js';

async function configOf(tree: Record<string, unknown>, env: NodeJS.ProcessEnv = {}): Promise<Config> {
  const c = new Config({ sources: [memorySource(tree)], env });
  await c.load();
  return c;
}

const setting = settingOf<'server.addr' | 'server.timeout' | 'metrics'>();
const SECTION = {
  addr: setting({ key: 'server.addr', option: 'server.addr', kind: address, default: '0.0.0.0:8000', doc: 'where it listens' }),
  timeout: setting({ key: 'server.timeout', option: 'server.timeout', kind: duration, default: 1000, doc: 'per-call timeout' }),
  enabled: setting({ key: 'metrics.enabled', option: 'metrics', optionSwitch: true, kind: boolean, default: true, doc: 'metrics | on' }),
  limit: setting({ key: 'server.limit', kind: number({ integer: true, min: 1 }), doc: 'most connections' }),
};

describe('settings kinds', () => {
  const cases: [string, Kind<unknown>, unknown[], [unknown, unknown][]][] = [
    ['duration', duration, ['soon', -1, '1 s', {}], [[1500, 1500], ['1s', 1000], ['1m30s', 90_000], ['250', 250]]],
    ['address', address, ['localhost', 'x:99999', 8000], [['127.0.0.1:80', '127.0.0.1:80'], [':0', ':0'], ['[::1]:9000', '[::1]:9000']]],
    ['boolean', boolean, ['yes', 2, {}], [[true, true], ['false', false], ['TRUE', true], [0, false], ['1', true]]],
    ['text', text, [{}, ['a'], true], [['a', 'a'], [1234, '1234']]],
    ['number', number({ min: 0, max: 1 }), ['half', 2, -0.5], [[0.5, 0.5], ['0.25', 0.25]]],
    ['integer', number({ integer: true, min: 1 }), [0, 1.5, 'ten'], [[3, 3], ['7', 7]]],
    ['bytes', bytes, ['lots', -1, '5 potatoes', 1.5], [[1024, 1024], ['64MiB', 64 * 1024 * 1024], ['1GB', 1e9], ['512 KiB', 512 * 1024]]],
    ['oneOf', oneOf(['json', 'text']), ['xml', 1], [['json', 'json'], ['TEXT', 'text']]],
    ['list', list, [{}, [{}], 5], [[['a', 'b'], ['a', 'b']], ['a, b,', ['a', 'b']]]],
    ['mapOf', mapOf(number()), ['a=1', [1], { a: 'x' }], [[{ a: '1', b: 2 }, { a: 1, b: 2 }]]],
  ];
  for (const [name, kind, bad, good] of cases) {
    it(`should read good ${name} values`, () => {
      for (const [raw, want] of good) assert.deepEqual(kind.parse(raw), want, JSON.stringify(raw));
    });
    it(`should refuse bad ${name} values`, () => {
      for (const raw of bad) assert.throws(() => kind.parse(raw), (e) => e instanceof Expected, JSON.stringify(raw));
    });
  }
});

describe('resolveSection', () => {
  it('should give every default when neither options nor config set anything, and leave out what has none', async () => {
    assert.deepEqual(resolveSection(SECTION, {}, await configOf({})), { addr: '0.0.0.0:8000', timeout: 1000, enabled: true });
  });

  it('should take config over defaults, typed by the kind', async () => {
    const s = resolveSection(SECTION, {}, await configOf({ server: { addr: '127.0.0.1:1', timeout: '2s', limit: '5' }, metrics: { enabled: 'false' } }));
    assert.deepEqual(s, { addr: '127.0.0.1:1', timeout: 2000, enabled: false, limit: 5 });
  });

  it('should take options over config', async () => {
    const s = resolveSection(SECTION, { server: { addr: '127.0.0.1:2', timeout: 300 } }, await configOf({ server: { addr: '127.0.0.1:1', timeout: '2s' } }));
    assert.equal(s.addr, '127.0.0.1:2');
    assert.equal(s.timeout, 300);
  });

  it('should let a switch option turn a feature off over config, and leave it to config otherwise', async () => {
    const on = await configOf({ metrics: { enabled: true } });
    assert.equal(resolveSection(SECTION, { metrics: false }, on).enabled, false);
    assert.equal(resolveSection(SECTION, { metrics: {} }, on).enabled, true);
    assert.equal(resolveSection(SECTION, { metrics: {} }, await configOf({ metrics: { enabled: false } })).enabled, false);
  });

  it('should read environment placeholders the config resolved, and count an empty one as unset', async () => {
    const tree = { server: { addr: '${KRATOS_T_ADDR:127.0.0.1:3}', timeout: '${KRATOS_T_TIMEOUT:}' } };
    assert.deepEqual(pick(resolveSection(SECTION, {}, await configOf(tree, { KRATOS_T_ADDR: '127.0.0.1:4' })), 'addr', 'timeout'), { addr: '127.0.0.1:4', timeout: 1000 });
    assert.equal(resolveSection(SECTION, {}, await configOf(tree)).addr, '127.0.0.1:3');
  });

  it('should refuse a bad config value with KRATOS_ERR_CONFIG_INVALID naming the key, the value and what was expected', async () => {
    await assert.rejects(async () => resolveSection(SECTION, {}, await configOf({ server: { limit: 'many' } })), (e: unknown) => {
      assert.ok(FrameworkError.isFrameworkError(e));
      assert.equal(e.code, 'KRATOS_ERR_CONFIG_INVALID');
      assert.match(e.message, /config key server\.limit: expected a positive integer, got "many" \(from memory\)/);
      return true;
    });
  });

  it('should refuse a bad option with KRATOS_ERR_OPTIONS_INVALID naming the option path', async () => {
    assert.throws(() => resolveSection(SECTION, { server: { timeout: 'later' } }, Config.fromObject({})), (e: unknown) => {
      assert.ok(FrameworkError.isFrameworkError(e));
      assert.equal(e.code, 'KRATOS_ERR_OPTIONS_INVALID');
      assert.match(e.message, /option server\.timeout: expected a duration .*, got "later"/);
      return true;
    });
  });

  it('should freeze what it resolves', async () => {
    const s = resolveSection(SECTION, {}, await configOf({}));
    assert.ok(Object.isFrozen(s));
  });
});

describe('pick', () => {
  it('should copy the named fields that are set and leave out the others', () => {
    const o: { a?: number; b?: string; c: boolean } = { a: 1, c: true };
    assert.deepEqual(pick(o, 'a', 'b'), { a: 1 });
    assert.ok(!('b' in pick(o, 'a', 'b')));
  });
});

describe('configReference', () => {
  it('should write one row per config key with type, default, option and meaning, escaping pipes', () => {
    const table = configReference([SECTION]).split('\n');
    assert.equal(table[0], '| key | type | default | option | meaning |');
    assert.equal(table[2], '| `server.addr` | host:port | `0.0.0.0:8000` | `server.addr` | where it listens |');
    assert.equal(table[3], '| `server.timeout` | duration | `1s` | `server.timeout` | per-call timeout |');
    assert.equal(table[4], '| `metrics.enabled` | boolean | `true` | `metrics`: false | metrics \\| on |');
    assert.equal(table[5], '| `server.limit` | integer >= 1 | none |  | most connections |');
    assert.equal(table.length, 6);
  });

  it('should replace only what lies between the markers', () => {
    const doc = `# Title\n${REFERENCE_START}\nold table\n${REFERENCE_END}\nafter\n`;
    assert.equal(withReference(doc, 'new'), `# Title\n${REFERENCE_START}\nnew\n${REFERENCE_END}\nafter\n`);
    assert.throws(() => withReference('# no markers', 'new'), /KRATOS_ERR_OPTIONS_INVALID/);
  });
});
