import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Config, describeChanges, envSource, fileSource, memorySource, type ConfigChange, type ConfigSource } from '../config/index.js';
import { caller, createLogger, parseLevel, timestamp, type Level, type Logger } from '../log/index.js';
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
 * The logger the `log` config section describes (§8): `log.format` json (default) or text,
 * `log.level` (followed on reload), `log.mask`, `log.modules`, `log.caller`; every record carries
 * ts, service.id/name/version and any extra valuers (trace.id, span.id).
 */
export function loggerFromConfig(config: Config, service: { id: string; name: string; version: string }, extra: unknown[] = []): Logger {
  const level = parseLevel(config.get<string>('log.level'));
  const logger = createLogger({
    format: config.get<string>('log.format') === 'text' ? 'text' : 'json',
    level,
    ...(config.get<string[]>('log.mask') === undefined ? {} : { mask: config.get<string[]>('log.mask') as string[] }),
    ...(config.get('log.modules') === undefined ? {} : { modules: config.get<Record<string, Level>>('log.modules') as Record<string, Level> }),
    fields: [
      'ts', timestamp,
      ...(config.get('log.caller') === true ? ['caller', caller] : []),
      'service.id', service.id, 'service.name', service.name, 'service.version', service.version,
      ...extra,
    ],
  });
  config.watch('log.level', (v) => logger.setLevel(parseLevel(typeof v === 'string' ? v : undefined)));
  return logger;
}
