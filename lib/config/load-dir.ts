import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { FrameworkError } from '../errors/index.js';
import { deepMerge } from './merge.js';

const FORMATS = new Set(['.yaml', '.yml', '.json']);

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

/**
 * Reads a config file, or every non-hidden yaml/yml/json file of a directory in name order, and
 * deep-merges them (later files win). A missing path gives an empty tree.
 */
export function loadConfigPath(path: string): Record<string, unknown> {
  if (!existsSync(path)) return {};
  if (!statSync(path).isDirectory()) return parseFile(path);
  const files = readdirSync(path)
    .filter((f) => !f.startsWith('.') && FORMATS.has(extname(f)))
    .sort()
    .map((f) => join(path, f));
  return deepMerge(...files.map(parseFile));
}
