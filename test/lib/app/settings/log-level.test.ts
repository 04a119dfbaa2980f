import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { followLogLevel, loggerFromSettings } from '../../../../lib/app/app-config.js';
import { resolveSettings } from '../../../../lib/app/settings/index.js';
import { Config, type ConfigSource } from '../../../../lib/config/index.js';

/** A source whose tree the test replaces, then announces as a reload. */
function manualSource(tree: Record<string, unknown>): { source: ConfigSource; set(next: Record<string, unknown>): void } {
  let current = tree;
  let changed: (() => void) | undefined;
  return {
    source: { name: 'manual', load: () => [{ tree: current, origin: 'manual' }], watch: async (cb) => ((changed = cb), () => undefined) },
    set(next) {
      current = next;
      changed?.();
    },
  };
}

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 10));

describe('log.level on hot reload', () => {
  it('should follow a new level and refuse one that is not a level, keeping the previous', async () => {
    const m = manualSource({ log: { level: 'warn' } });
    const failures: string[] = [];
    const config = new Config({ sources: [m.source], onError: (err, source) => failures.push(`${source}: ${(err as Error).message}`) });
    await config.load();
    const logger = loggerFromSettings(resolveSettings({}, config, 'Root').log, { id: 'i', name: 'n', version: 'v' });
    followLogLevel(config, logger);
    assert.equal(logger.enabled('info'), false);
    m.set({ log: { level: 'debug' } });
    await settle();
    assert.equal(logger.enabled('debug'), true);
    m.set({ log: { level: 'chatty' } });
    await settle();
    assert.equal(logger.enabled('debug'), true, 'the previous level stays');
    assert.match(failures.join('\n'), /observer of log\.level: KRATOS_ERR_CONFIG_INVALID: config key log\.level: expected one of debug, info, warn, error, fatal, got "chatty"/);
    m.set({ log: {} });
    await settle();
    assert.equal(logger.enabled('debug'), false, 'unset is the default, info');
    assert.equal(logger.enabled('info'), true);
    await config.close();
  });
});
