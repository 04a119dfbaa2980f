import { sameValue } from './tree.js';

/** One key a reload changed: its dotted path and its values before and after (undefined: absent). */
export interface ConfigChange {
  key: string;
  before: unknown;
  after: unknown;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The leaf keys that differ between two trees, in sorted order; lists compare as one value. */
export function changedKeys(before: unknown, after: unknown, prefix = ''): ConfigChange[] {
  if (isMap(before) && isMap(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => changedKeys(before[k], after[k], prefix === '' ? k : `${prefix}.${k}`));
  }
  if (isMap(before) && after === undefined) return changedKeys(before, {}, prefix);
  if (before === undefined && isMap(after)) return changedKeys({}, after, prefix);
  return sameValue(before, after) ? [] : [{ key: prefix, before, after }];
}

// Key names whose values must not reach a log: passwords, tokens, keys, credentials.
const SECRET = /pass(word|wd|phrase)?$|secret|token|credential|private|api[-_]?key|access[-_]?key|(^|[-_.])key$|auth|cookie|signature|dsn$/i;

/** True when the last segment of a dotted key names something secret. */
export function looksSecret(key: string): boolean {
  return SECRET.test(key.split('.').pop() ?? key);
}

/** `key: before -> after` lines for a log, values of secret-looking keys shown as [redacted]. */
export function describeChanges(changes: readonly ConfigChange[]): string[] {
  const show = (v: unknown): string => (v === undefined ? '(absent)' : JSON.stringify(v));
  return changes.map((c) => (looksSecret(c.key) ? `${c.key}: [redacted]` : `${c.key}: ${show(c.before)} -> ${show(c.after)}`));
}
