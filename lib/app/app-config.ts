import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Config, describeChanges, envSource, fileSource, memorySource, type ConfigChange, type ConfigSource } from '../config/index.js';
import { caller, createLogger, timestamp, type FilterLogger, type Level, type Logger } from '../log/index.js';
import { resolveSection, resolveSetting } from '../settings/index.js';
import { LOG_SETTINGS, type LogSettings } from './settings/index.js';
import type { AppOptions } from './options.js';

/** The project root of `from`: the nearest directory upwards holding a package.json. */
export function projectRoot(from: string): string | undefined {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/**
 * The directory `createApp` reads by default: `configs/` beside the entry script, else `configs/` in
 * the entry's project root (the nearest package.json upwards). So `node dist/main.js` reads the
 * configs/ a developer edits, not a copy in dist/, from whatever directory it is started in.
 */
export function defaultConfigDir(entry = process.argv[1]): string | undefined {
  if (entry === undefined) return undefined;
  const beside = join(dirname(resolve(entry)), 'configs');
  if (existsSync(beside)) return beside;
  const root = projectRoot(dirname(resolve(entry)));
  const atRoot = root === undefined ? undefined : join(root, 'configs');
  return atRoot !== undefined && existsSync(atRoot) ? atRoot : undefined;
}

/**
 * The app's configuration: `configs/` beside the entry (or `configDir`), then the environment, then
 * `configSources`, then the in-memory `config`; loaded and, with `configSchema`, validated.
 */
export async function loadAppConfig(options: AppOptions, onError: (err: unknown, source: string) => void, onReload?: (changes: ConfigChange[], source: string) => void): Promise<Config> {
  const sources: ConfigSource[] = [];
  const dir = options.configDir === undefined ? defaultConfigDir() : options.configDir;
  if (dir !== undefined && dir !== false) sources.push(fileSource(dir));
  sources.push(envSource(), ...(options.configSources ?? []));
  if (options.config !== undefined) sources.push(memorySource(options.config));
  const config = new Config({ sources, onError, ...(onReload === undefined ? {} : { onReload }) });
  await config.load();
  if (options.configSchema !== undefined) await config.scan(options.configSchema);
  return config;
}

/** The log line of a reload: which keys changed and how, secret-looking values redacted. */
export function logReload(logger: Logger | undefined, changes: ConfigChange[], source: string): void {
  logger?.log('info', 'msg', 'config reloaded', 'source', source, 'changed', describeChanges(changes));
}

/**
 * The logger the `log` settings describe (docs/config-and-logging.md#logging): json (default) or text lines, a minimum level, masked
 * keys, levels per module, `caller`; every record carries ts, service.id/name/version and any extra
 * valuers (trace.id, span.id).
 */
export function loggerFromSettings(settings: LogSettings, service: { id: string; name: string; version: string }, extra: unknown[] = []): FilterLogger {
  const { caller: withCaller, ...options } = settings;
  return createLogger({
    ...options,
    fields: [
      'ts', timestamp,
      ...(withCaller ? ['caller', caller] : []),
      'service.id', service.id, 'service.name', service.name, 'service.version', service.version,
      ...extra,
    ],
  });
}

/**
 * Makes `logger` follow `log.level` on hot reload; a level that is not one is refused (logged as a
 * failed reload) and the previous level stays.
 */
export function followLogLevel(config: Config, logger: FilterLogger): void {
  const key = LOG_SETTINGS.level.spec.key as string;
  config.watch(key, () => logger.setLevel(resolveSetting(LOG_SETTINGS.level.spec, {}, config) as Level));
}

/** The logger the `log` config section describes, following `log.level` on reload. */
export function loggerFromConfig(config: Config, service: { id: string; name: string; version: string }, extra: unknown[] = []): Logger {
  const logger = loggerFromSettings(resolveSection(LOG_SETTINGS, {}, config), service, extra);
  followLogLevel(config, logger);
  return logger;
}
