import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Config, envSource, fileSource, memorySource } from '../config/index.js';
import { caller, createLogger, parseLevel, timestamp } from '../log/index.js';
/** The directory `createApp` reads by default: `configs/` beside the entry script. */
export function defaultConfigDir() {
    const entry = process.argv[1];
    if (entry === undefined)
        return undefined;
    const dir = join(dirname(entry), 'configs');
    return existsSync(dir) ? dir : undefined;
}
/**
 * The app's configuration: `configs/` beside the entry (or `configDir`), then the environment, then
 * `configSources`, then the in-memory `config`; loaded and, with `configSchema`, validated.
 */
export async function loadAppConfig(options, onError) {
    const sources = [];
    const dir = options.configDir === undefined ? defaultConfigDir() : options.configDir;
    if (dir !== undefined && dir !== false)
        sources.push(fileSource(dir));
    sources.push(envSource(), ...(options.configSources ?? []));
    if (options.config !== undefined)
        sources.push(memorySource(options.config));
    const config = new Config({ sources, onError });
    await config.load();
    if (options.configSchema !== undefined)
        await config.scan(options.configSchema);
    return config;
}
/**
 * The logger the `log` config section describes (§8): `log.format` json (default) or text,
 * `log.level` (followed on reload), `log.mask`, `log.modules`, `log.caller`; every record carries
 * ts, service.id/name/version and any extra valuers (trace.id, span.id).
 */
export function loggerFromConfig(config, service, extra = []) {
    const level = parseLevel(config.get('log.level'));
    const logger = createLogger({
        format: config.get('log.format') === 'text' ? 'text' : 'json',
        level,
        ...(config.get('log.mask') === undefined ? {} : { mask: config.get('log.mask') }),
        ...(config.get('log.modules') === undefined ? {} : { modules: config.get('log.modules') }),
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
