import { parseDuration } from '../config/index.js';
import { parseAddress } from '../internal/index.js';

/** What a value should have been; the resolver turns it into an error naming the key and the value. */
export class Expected extends Error {}

/** How a raw value (from options or config) becomes a setting's typed value. */
export interface Kind<T> {
  /** The type as the config reference shows it. */
  readonly name: string;
  /** The typed value; throws {@link Expected} saying what a good value looks like. */
  parse(raw: unknown): T;
  /** A value as the config reference writes it. */
  show?(value: T): string;
}

const kind = <T>(name: string, parse: (raw: unknown) => T, show?: (value: T) => string): Kind<T> => (show === undefined ? { name, parse } : { name, parse, show });

function showMs(ms: number): string {
  if (ms === 0) return '0';
  for (const [unit, size] of [['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) if (ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}

function showBytes(n: number): string {
  for (const [unit, size] of [['GiB', 1024 ** 3], ['MiB', 1024 ** 2], ['KiB', 1024]] as const) if (n >= size && n % size === 0) return `${n / size}${unit}`;
  return String(n);
}

/** Milliseconds, from a number or a duration string (`1s`, `500ms`, `1m30s`). */
export const duration = kind('duration', (raw) => {
  try {
    return parseDuration(raw, '');
  } catch {
    throw new Expected('a duration (milliseconds, or "1s", "500ms", "1m30s")');
  }
}, showMs);

/** A `host:port` to listen on or reach (`[::1]:8000` for IPv6; an empty host is every interface). */
export const address = kind('host:port', (raw) => {
  if (typeof raw !== 'string') throw new Expected('a host:port address');
  try {
    parseAddress(raw);
  } catch {
    throw new Expected('a host:port address');
  }
  return raw.trim();
});

const TRUE = new Set(['true', '1']);
const FALSE = new Set(['false', '0']);

/** true/false, also as the strings and the 1/0 an environment placeholder gives. */
export const boolean = kind('boolean', (raw) => {
  if (typeof raw === 'boolean') return raw;
  const s = String(raw).trim().toLowerCase();
  if ((typeof raw === 'string' || typeof raw === 'number') && TRUE.has(s)) return true;
  if ((typeof raw === 'string' || typeof raw === 'number') && FALSE.has(s)) return false;
  throw new Expected('true or false');
});

/** Text; a number is taken as its digits (a password that an env placeholder typed as a number). */
export const text = kind('string', (raw) => {
  if (typeof raw === 'string') return raw;
  if (typeof raw === 'number' && Number.isFinite(raw)) return String(raw);
  throw new Expected('a string');
});

function toNumber(raw: unknown): number {
  const n = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
  return typeof n === 'number' && Number.isFinite(n) ? n : NaN;
}

/** A number in [min, max]; `integer` for whole numbers. */
export function number(o: { min?: number; max?: number; integer?: boolean } = {}): Kind<number> {
  const type = o.integer === true ? 'integer' : 'number';
  const range = o.max !== undefined ? ` from ${o.min ?? '-inf'} to ${o.max}` : o.min !== undefined ? ` >= ${o.min}` : '';
  const what = o.integer === true && o.min === 1 && o.max === undefined ? 'a positive integer' : `${o.integer === true ? 'an integer' : 'a number'}${range}`;
  return kind(`${type}${range}`, (raw) => {
    const n = toNumber(raw);
    const bad = Number.isNaN(n) || (o.integer === true && !Number.isInteger(n)) || (o.min !== undefined && n < o.min) || (o.max !== undefined && n > o.max);
    if (bad) throw new Expected(what);
    return n;
  });
}

const BYTE_UNITS: Record<string, number> = { '': 1, b: 1, kb: 1e3, mb: 1e6, gb: 1e9, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3 };

/** A size in bytes: a number, or `64MiB`, `512KiB`, `1GB`, `100B`. */
export const bytes = kind('bytes', (raw) => {
  if (typeof raw === 'number' && Number.isInteger(raw) && raw >= 0) return raw;
  const m = typeof raw === 'string' ? /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(raw.trim()) : null;
  const unit = m === null ? undefined : BYTE_UNITS[(m[2] as string).toLowerCase()];
  if (m === null || unit === undefined) throw new Expected('a size in bytes (1048576, "512KiB", "64MiB", "1GB")');
  return Math.round(Number(m[1]) * unit);
}, showBytes);

/** One of `values` (compared without case). */
export function oneOf<const V extends string>(values: readonly V[]): Kind<V> {
  return kind(values.map((v) => `\`${v}\``).join(' | '), (raw) => {
    const found = typeof raw === 'string' ? values.find((v) => v === raw.trim().toLowerCase()) : undefined;
    if (found === undefined) throw new Expected(`one of ${values.join(', ')}`);
    return found;
  });
}

/** A list of strings, also as one comma-separated string (`a,b` from an environment variable). */
export const list = kind('list', (raw): string[] => {
  const items = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : undefined;
  if (items === undefined || !items.every((i) => typeof i === 'string' || typeof i === 'number')) throw new Expected('a list of strings or one comma-separated string');
  return items.map((i) => String(i).trim()).filter((i) => i !== '');
});

/** A mapping of names to values, each checked by `values`. */
export function mapOf<T>(values: Kind<T>, name = `map of ${values.name} values`): Kind<Record<string, T>> {
  return kind(name, (raw) => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Expected(`a ${name}`);
    const out: Record<string, T> = {};
    for (const [k, v] of Object.entries(raw)) {
      try {
        out[k] = values.parse(v);
      } catch (err) {
        throw err instanceof Expected ? new Expected(`a ${name} (${k}: ${err.message})`) : err;
      }
    }
    return out;
  });
}

/** Any value of its own type check, for what only options can give (functions, objects). */
export function custom<T>(name: string, check: (raw: unknown) => T): Kind<T> {
  return kind(name, check);
}
