import { existsSync, readdirSync, readFileSync, statSync, watch as fsWatch } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { parseYaml, YAMLParseError } from '../../internal/index.js';
import { FrameworkError } from '../../errors/index.js';
import type { ConfigLayer, ConfigSource } from '../source.js';

const FORMATS = new Set(['.yaml', '.yml', '.json']);

/** Options of {@link fileSource}. */
export interface FileSourceOptions {
  /** Quiet time after the last file event before reloading, ms. Default 100. */
  debounce?: number;
}

function parseFile(file: string): Record<string, unknown> {
  const text = readFileSync(file, 'utf8');
  let value: unknown;
  try {
    value = extname(file) === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    const at = err instanceof YAMLParseError && err.linePos ? `:${err.linePos[0].line}:${err.linePos[0].col}` : '';
    const msg = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new FrameworkError('KRATOS_ERR_CONFIG_INVALID', `${file}${at}: ${msg}`, { cause: err });
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new FrameworkError('KRATOS_ERR_CONFIG_INVALID', `${file}: the top level must be a mapping of keys`);
  }
  return value as Record<string, unknown>;
}

function files(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .filter((f) => !f.startsWith('.') && FORMATS.has(extname(f)))
    .sort()
    .map((f) => join(path, f));
}

/**
 * A config file, or every non-hidden yaml/yml/json file of a directory in name order (docs/config-and-logging.md#configuration); the format
 * comes from the extension. Watched with fs.watch: a burst of events reloads once, after `debounce`.
 * A path that does not exist gives nothing (and is not watched).
 */
export function fileSource(path: string, options: FileSourceOptions = {}): ConfigSource {
  const abs = resolve(path);
  return {
    name: `file:${abs}`,
    load: (): ConfigLayer[] => files(abs).map((f) => ({ tree: parseFile(f), origin: f })),
    watch(onChange) {
      if (!existsSync(abs)) return () => undefined;
      // Watching the directory (not the file) survives editors that replace files by renaming.
      const dir = statSync(abs).isDirectory() ? abs : dirname(abs);
      let timer: NodeJS.Timeout | undefined;
      const watcher = fsWatch(dir, () => {
        if (timer !== undefined) clearTimeout(timer);
        timer = setTimeout(onChange, options.debounce ?? 100);
      });
      watcher.unref();
      return () => {
        if (timer !== undefined) clearTimeout(timer);
        watcher.close();
      };
    },
  };
}
