import type { ConfigSource } from '../source.js';

/** Options of {@link envSource}. */
export interface EnvSourceOptions {
  /** Only variables starting with this; it and a following `_` are stripped (`APP_PORT` -> `PORT`). */
  prefix?: string;
  /** Splits names into nested keys, lower-casing them (`__`: `SERVER__HTTP__ADDR` -> server.http.addr). */
  separator?: string;
  /** The variables to read. Default: process.env. */
  env?: NodeJS.ProcessEnv;
}

/**
 * The environment as configuration (docs/config-and-logging.md#configuration). Without a separator names stay as they are (`HTTP_ADDR`),
 * which is what `${HTTP_ADDR:default}` placeholders read.
 */
export function envSource(options: EnvSourceOptions = {}): ConfigSource {
  return {
    name: 'env',
    load: () => {
      const env = options.env ?? process.env;
      const tree: Record<string, unknown> = {};
      for (const [raw, value] of Object.entries(env)) {
        if (value === undefined) continue;
        let name = raw;
        if (options.prefix !== undefined) {
          if (!raw.startsWith(options.prefix) || raw === options.prefix) continue;
          name = raw.slice(options.prefix.length).replace(/^_/, '');
        }
        if (options.separator === undefined) {
          tree[name] = value;
          continue;
        }
        const parts = name.toLowerCase().split(options.separator);
        let cur = tree;
        for (const p of parts.slice(0, -1)) cur = (typeof cur[p] === 'object' && cur[p] !== null ? cur[p] : (cur[p] = {})) as Record<string, unknown>;
        cur[parts[parts.length - 1] as string] = value;
      }
      return [{ tree, origin: 'env' }];
    },
  };
}
