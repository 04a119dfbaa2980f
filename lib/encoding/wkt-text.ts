import type protobuf from 'protobufjs';
import { codecError } from './errors.js';
import { wellKnownFromJson, wellKnownToJson } from './proto-json.js';
import { formatScalar, parseScalar } from './scalar.js';

const WRAPPERS: ReadonlySet<string> = new Set(
  ['Double', 'Float', 'Int64', 'UInt64', 'Int32', 'UInt32', 'Bool', 'String', 'Bytes'].map((n) => `.google.protobuf.${n}Value`),
);
/** Types whose JSON form is a plain string, so the text needs no JSON quoting. */
const STRING_FORMS: ReadonlySet<string> = new Set(
  ['Timestamp', 'Duration', 'FieldMask'].map((n) => `.google.protobuf.${n}`),
);
const DURATION_JSON = /^[-+]?\d+(\.\d+)?s$/;
const GO_DURATION_PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;
const UNIT_NANOS: Readonly<Record<string, bigint>> = {
  ns: 1n, us: 1_000n, µs: 1_000n, μs: 1_000n, ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n,
};

/** A Go duration (`1h2m3.5s`, which Kratos' form decoder accepts) as ProtoJSON seconds text. */
function goDurationToJson(raw: string): string | undefined {
  const sign = raw.startsWith('-') ? -1n : 1n;
  const body = raw.replace(/^[-+]/, '');
  if (body === '0') return '0s';
  let nanos = 0n;
  GO_DURATION_PART.lastIndex = 0;
  while (GO_DURATION_PART.lastIndex < body.length) {
    const m = GO_DURATION_PART.exec(body);
    const unit = m === null ? undefined : UNIT_NANOS[m[2] ?? ''];
    if (m === null || unit === undefined) return undefined;
    const [whole = '0', frac = ''] = (m[1] ?? '').split('.');
    const fracDigits = frac.slice(0, 9).padEnd(9, '0');
    nanos += BigInt(whole === '' ? '0' : whole) * unit + (BigInt(fracDigits) * unit) / 1_000_000_000n;
  }
  if (body === '') return undefined;
  nanos *= sign;
  const abs = nanos < 0n ? -nanos : nanos;
  const text = `${abs / 1_000_000_000n}.${(abs % 1_000_000_000n).toString().padStart(9, '0')}s`;
  return nanos < 0n ? `-${text}` : text;
}

function parseJsonText(raw: string, label: string): unknown {
  try {
    return JSON.parse(raw);
  } catch (err) {
    throw codecError(`${label}: invalid JSON: ${(err as Error).message}`, err);
  }
}

/** True for google.protobuf.*Value wrappers, which travel as their bare scalar. */
export function isWrapper(type: protobuf.Type): boolean {
  return WRAPPERS.has(type.fullName);
}

/**
 * A well-known-type value from its text form in a query or form body: Timestamp RFC 3339,
 * Duration `1.5s` (or Go syntax `1m30s`), wrappers as their scalar, FieldMask `a.b,c`,
 * Struct/ListValue/Any as JSON, Value as JSON or else as a plain string.
 */
export function parseWellKnownText(type: protobuf.Type, raw: string, label: string): Record<string, unknown> {
  if (isWrapper(type)) {
    const valueField = type.fields['value'];
    // The scalar parser already yields the canonical value, so no ProtoJSON round trip is needed.
    return valueField === undefined ? {} : { value: parseScalar(valueField, raw, label) };
  }
  if (type.fullName === '.google.protobuf.Duration' && !DURATION_JSON.test(raw)) {
    return wellKnownFromJson(type, goDurationToJson(raw) ?? raw, label);
  }
  if (type.fullName === '.google.protobuf.FieldMask') {
    // Kratos reads masks written with proto names or JSON names, so normalise to proto names here.
    const paths = raw.split(',').map((p) => p.trim()).filter((p) => p !== '');
    return { paths: paths.map((p) => p.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)) };
  }
  if (STRING_FORMS.has(type.fullName)) return wellKnownFromJson(type, raw, label);
  if (type.fullName === '.google.protobuf.Value') {
    let json: unknown = raw;
    try {
      json = JSON.parse(raw);
    } catch {
      // Kratos treats a Value that is not JSON as a string, so `?v=hello` works unquoted.
    }
    return wellKnownFromJson(type, json, label);
  }
  return wellKnownFromJson(type, parseJsonText(raw, label), label);
}

const GO_UNITS: readonly [bigint, string][] = [[1_000_000n, 'ms'], [1_000n, 'µs'], [1n, 'ns']];

/** A decimal fraction of `n / unit` with trailing zeros dropped: (1500, 1000) -> '1.5'. */
function fraction(n: bigint, unit: bigint): string {
  const whole = n / unit;
  const rest = n % unit;
  if (rest === 0n) return whole.toString();
  const digits = rest.toString().padStart(unit.toString().length - 1, '0').replace(/0+$/, '');
  return `${whole}.${digits}`;
}

/**
 * A Duration as Go's time.Duration prints it (`2m0.000000022s`, `1h0m0s`, `1.5ms`), which is what
 * Kratos' form encoder writes; beyond Go's ±292 years, the ProtoJSON text (`315576000000s`).
 */
function goDurationText(value: Record<string, unknown>): string | undefined {
  const nanos = BigInt(String(value['seconds'] ?? '0')) * 1_000_000_000n + BigInt(Number(value['nanos'] ?? 0));
  if (nanos > 2n ** 63n - 1n || nanos < -(2n ** 63n)) return undefined;
  if (nanos === 0n) return '0s';
  const sign = nanos < 0n ? '-' : '';
  const abs = nanos < 0n ? -nanos : nanos;
  if (abs < 1_000_000_000n) {
    const [unit, name] = GO_UNITS.find(([u]) => abs >= u) as [bigint, string];
    return `${sign}${fraction(abs, unit)}${name}`;
  }
  const hours = abs / 3_600_000_000_000n;
  const minutes = (abs / 60_000_000_000n) % 60n;
  const seconds = fraction(abs % 60_000_000_000n, 1_000_000_000n);
  if (hours > 0n) return `${sign}${hours}h${minutes}m${seconds}s`;
  if (minutes > 0n) return `${sign}${minutes}m${seconds}s`;
  return `${sign}${seconds}s`;
}

/**
 * Text form of a well-known-type value (the inverse of {@link parseWellKnownText}), written as
 * Kratos' form encoder writes it: Duration in Go syntax, Timestamp as RFC 3339 with the fraction's
 * trailing zeros dropped (Go's RFC3339Nano), wrappers as their scalar.
 */
export function formatWellKnownText(type: protobuf.Type, value: Record<string, unknown>): string {
  if (isWrapper(type)) {
    const valueField = type.fields['value'];
    return valueField === undefined ? '' : formatScalar(valueField, value['value'], true);
  }
  if (type.fullName === '.google.protobuf.Duration') {
    const text = goDurationText(value);
    if (text !== undefined) return text;
  }
  if (type.fullName === '.google.protobuf.Timestamp') {
    return (wellKnownToJson(type, value) as string).replace(/\.(\d*?)0+Z$/, (_m, d: string) => (d === '' ? 'Z' : `.${d}Z`));
  }
  const json = wellKnownToJson(type, value);
  return typeof json === 'string' && STRING_FORMS.has(type.fullName) ? json : JSON.stringify(json);
}
