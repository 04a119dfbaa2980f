import { lookup } from './tree.js';

const WHOLE = /^\$\{([^}:]+)(?::([^}]*))?\}$/;
const ANY = /\$\{([^}:]+)(?::([^}]*))?\}/g;

function typed(s: string): unknown {
  if (s === 'true') return true;
  if (s === 'false') return false;
  if (/^-?\d+(\.\d+)?$/.test(s)) return Number(s);
  return s;
}

/**
 * Resolves `${KEY:default}` placeholders in every string of `tree` (docs/config-and-logging.md#configuration): KEY is looked up in the
 * environment first, then as a dotted key of the tree, else the default (or ''). A string that is
 * one whole placeholder takes the value's type (`${PORT:8000}` gives the number 8000).
 */
export function resolvePlaceholders(tree: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): Record<string, unknown> {
  const find = (key: string, dflt: string | undefined): unknown => {
    const fromEnv = env[key];
    if (fromEnv !== undefined) return fromEnv;
    const fromTree = lookup(tree, key);
    if (fromTree !== undefined && (typeof fromTree !== 'string' || !WHOLE.test(fromTree))) return fromTree;
    return dflt ?? '';
  };
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      const whole = WHOLE.exec(v);
      if (whole !== null) {
        const found = find(whole[1] as string, whole[2]);
        return typeof found === 'string' ? typed(found) : found;
      }
      return v.replace(ANY, (_m, key: string, dflt: string | undefined) => String(find(key, dflt)));
    }
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === 'object' && v !== null) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    }
    return v;
  };
  return walk(tree) as Record<string, unknown>;
}
