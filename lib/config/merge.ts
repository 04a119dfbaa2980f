const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Deep-merges `sources` left to right into a new tree: objects merge key by key, anything else
 * (arrays included) is replaced by the later source. Prototype-polluting keys are dropped.
 */
export function deepMerge(...sources: Record<string, unknown>[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const src of sources) mergeInto(out, src);
  return out;
}

function mergeInto(target: Record<string, unknown>, src: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(src)) {
    if (UNSAFE_KEYS.has(k)) continue;
    const cur = target[k];
    if (isPlainObject(v)) {
      const next = isPlainObject(cur) ? cur : {};
      mergeInto(next, v);
      target[k] = next;
    } else {
      target[k] = v;
    }
  }
}
