import { deepMerge } from './merge.js';
import type { ConfigLayer } from './source.js';

/** Looks up a dotted path in a plain object tree. */
export function lookup(tree: unknown, key: string): unknown {
  if (key === '') return tree;
  let cur: unknown = tree;
  for (const part of key.split('.')) {
    if (typeof cur !== 'object' || cur === null || !Object.hasOwn(cur, part)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** Structural equality of plain config values. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** Merges layers in order (later wins) and records which layer set each leaf, for messages. */
export function mergeLayers(layers: readonly ConfigLayer[]): { tree: Record<string, unknown>; origins: Map<string, string> } {
  const origins = new Map<string, string>();
  const mark = (v: unknown, path: string, origin: string): void => {
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
      for (const [k, x] of Object.entries(v)) mark(x, path === '' ? k : `${path}.${k}`, origin);
    } else origins.set(path, origin);
  };
  for (const l of layers) mark(l.tree, '', l.origin);
  return { tree: deepMerge(...layers.map((l) => l.tree)), origins };
}

/** The origin of `path` or of its closest ancestor that has one. */
export function originOf(origins: ReadonlyMap<string, string>, path: string): string | undefined {
  let p = path;
  while (true) {
    const o = origins.get(p);
    if (o !== undefined) return o;
    for (const [k, v] of origins) if (k.startsWith(`${p}.`)) return v;
    const dot = p.lastIndexOf('.');
    if (dot === -1) return undefined;
    p = p.slice(0, dot);
  }
}
