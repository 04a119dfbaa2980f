import type protobuf from 'protobufjs';
import { bytesChecks, list, numberChecks, rangeChecks, RuleError, stringChecks, type Rules, type ValueCheck } from './rule-scalars.js';

/** One failed rule: the field's dotted path (camelCase, `[i]` for items, `[key]` for map entries) and why. */
export interface RuleViolation {
  field: string;
  message: string;
}

/** Checks one value found at `path`, appending what fails to `out`. */
export type Check = (value: unknown, path: string, out: RuleViolation[]) => void;

/** What a field or an element holds: its proto type name and resolved message or enum. */
export interface Kind {
  type: string;
  resolved: protobuf.Type | protobuf.Enum | null;
}

/** Which rule set a field's rules come from, where the two define a rule differently (email). */
export type RuleSet = 'pgv' | 'buf';

/** The validator of a message type, built lazily so recursive types work; undefined when nothing to check. */
export type MessageCheckFor = (type: protobuf.Type) => Check | undefined;

const WRAPPERS: Record<string, string> = {
  DoubleValue: 'double', FloatValue: 'float', Int64Value: 'int64', UInt64Value: 'uint64', Int32Value: 'int32',
  UInt32Value: 'uint32', BoolValue: 'bool', StringValue: 'string', BytesValue: 'bytes',
};
const SCALARS = new Set(['double', 'float', 'int32', 'int64', 'uint32', 'uint64', 'sint32', 'sint64', 'fixed32', 'fixed64', 'sfixed32', 'sfixed64', 'bool', 'string', 'bytes']);
// FieldRules members that are not a type's rules.
const NOT_TYPE = new Set(['message', 'required', 'ignore', 'cel']);

const isMessage = (k: Kind): k is Kind & { resolved: protobuf.Type } => k.resolved !== null && 'fields' in k.resolved;
const wkt = (k: Kind): string | undefined => (isMessage(k) && k.resolved.fullName.startsWith('.google.protobuf.') ? k.resolved.fullName.slice(17) : undefined);

/** The rules key a value of kind `k` takes (`int32`, `enum`, `duration`...), or undefined for plain messages. */
function expectedKey(k: Kind): string | undefined {
  if (SCALARS.has(k.type) && k.resolved === null) return k.type;
  if (k.resolved !== null && !isMessage(k)) return 'enum';
  const w = wkt(k);
  if (w === 'Any') return 'any';
  if (w === 'Duration') return 'duration';
  if (w === 'Timestamp') return 'timestamp';
  return w === undefined ? undefined : WRAPPERS[w];
}

/** The member of FieldRules' `type` oneof that is set, if any. */
export function typeKey(r: Rules): string | undefined {
  return Object.keys(r).find((k) => !NOT_TYPE.has(k) && typeof r[k] === 'object' && r[k] !== null);
}

/** Whether `v` holds more than its kind's default (proto3 emptiness, for ignore_empty and scalar `required`). */
export function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === '' || v === false || v === 0 || v === '0') return true;
  if (v instanceof Uint8Array || Array.isArray(v)) return v.length === 0;
  return typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype && Object.keys(v as object).length === 0;
}

const nanos = (v: unknown): bigint => {
  const o = (v ?? {}) as { seconds?: unknown; nanos?: unknown };
  return BigInt(String(o.seconds ?? 0).split('.')[0] ?? 0) * 1_000_000_000n + BigInt(Number(o.nanos ?? 0));
};
const showDuration = (n: bigint): string => `${Number(n) / 1e9}s`;
const showTime = (n: bigint): string => new Date(Number(n / 1_000_000n)).toISOString();
const cmpBig = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);

function timestampChecks(r: Rules): ValueCheck[] {
  const c = rangeChecks(r, nanos, showTime, cmpBig);
  const within = r['within'] === undefined ? undefined : nanos(r['within']);
  if ((r['lt_now'] === true || r['gt_now'] === true) && (r['lt'] !== undefined || r['gt'] !== undefined || r['lte'] !== undefined || r['gte'] !== undefined)) {
    throw new RuleError('lt_now/gt_now cannot be combined with lt/lte/gt/gte');
  }
  const now = (): bigint => BigInt(Date.now()) * 1_000_000n;
  if (r['lt_now'] === true) c.push((v) => (nanos(v) < now() ? undefined : 'value must be less than now'));
  if (r['gt_now'] === true) c.push((v) => (nanos(v) > now() ? undefined : 'value must be greater than now'));
  if (within !== undefined) {
    c.push((v) => {
      const d = nanos(v) - now();
      return (d < 0n ? -d : d) <= within ? undefined : `value must be within ${showDuration(within)} of now`;
    });
  }
  return c;
}

function enumChecks(e: protobuf.Enum, r: Rules): ValueCheck[] {
  const num = (v: unknown): number => (typeof v === 'number' ? v : (e.values[String(v)] ?? Number(v)));
  const defined = new Set(Object.values(e.values));
  const c = numberChecks('int32', r).map((f): ValueCheck => (v) => f(num(v)));
  if (r['defined_only'] === true) c.unshift((v) => (defined.has(num(v)) ? undefined : 'value must be one of the defined enum values'));
  return c;
}

/** Checks of the type rules `r` (the FieldRules member `key`) on values of kind `k`. */
function typeChecks(k: Kind, key: string, r: Rules, set: RuleSet): ValueCheck[] {
  if (key === 'string') return stringChecks(r, set);
  if (key === 'bytes') return bytesChecks(r);
  if (key === 'bool') return r['const'] === undefined ? [] : [(v) => (Boolean(v) === r['const'] ? undefined : `value must equal ${String(r['const'])}`)];
  if (key === 'enum') return enumChecks(k.resolved as protobuf.Enum, r);
  if (key === 'duration') return rangeChecks(r, nanos, showDuration, cmpBig);
  if (key === 'timestamp') return timestampChecks(r);
  if (key === 'any') {
    const url = (v: unknown): string => String((v as { typeUrl?: unknown; type_url?: unknown }).typeUrl ?? (v as { type_url?: unknown }).type_url ?? '');
    const inList = list(r['in']).map(String);
    const notIn = list(r['not_in']).map(String);
    const c: ValueCheck[] = [];
    if (inList.length > 0) c.push((v) => (inList.includes(url(v)) ? undefined : `type URL must be in list [${inList.join(', ')}]`));
    if (notIn.length > 0) c.push((v) => (notIn.includes(url(v)) ? `type URL must not be in list [${notIn.join(', ')}]` : undefined));
    return c;
  }
  return numberChecks(key, r);
}

function describeKind(k: Kind): string {
  return isMessage(k) ? k.resolved.fullName.slice(1) : k.resolved !== null ? `enum ${k.resolved.fullName.slice(1)}` : k.type;
}

function boundsCheck(r: Rules, min: string, max: string): void {
  if (r[min] !== undefined && r[max] !== undefined && Number(r[min]) > Number(r[max])) throw new RuleError(`${min} ${String(r[min])} is greater than ${max} ${String(r[max])}`);
}

/**
 * The check of one (non-repeated) value of kind `k` under FieldRules `rules`: `required`, the type's
 * rules (wrappers checked on their `value`), then the nested message's own rules unless `message.skip`.
 */
export function valueCheck(k: Kind, rules: Rules, messageCheck: MessageCheckFor, set: RuleSet = 'pgv'): Check {
  const key = typeKey(rules);
  const expected = expectedKey(k);
  if (key !== undefined && key !== expected) throw new RuleError(`${key} rules do not apply to a ${describeKind(k)} value`);
  const r = (key === undefined ? {} : rules[key]) as Rules;
  if (key === 'string') { boundsCheck(r, 'min_len', 'max_len'); boundsCheck(r, 'min_bytes', 'max_bytes'); }
  if (key === 'bytes') boundsCheck(r, 'min_len', 'max_len');
  const msgRules = (rules['message'] ?? {}) as Rules;
  if (rules['message'] !== undefined && !isMessage(k)) throw new RuleError(`message rules do not apply to a ${describeKind(k)} value`);
  const required = rules['required'] === true || msgRules['required'] === true || r['required'] === true;
  const ignoreEmpty = r['ignore_empty'] === true || rules['ignore'] === 'IGNORE_IF_ZERO_VALUE' || rules['ignore'] === 1;
  const w = wkt(k);
  const unwrap = w !== undefined && WRAPPERS[w] !== undefined;
  const checks = key === undefined ? [] : typeChecks(k, key, r, set);
  const nested = isMessage(k) && msgRules['skip'] !== true ? messageCheck(k.resolved) : undefined;
  const message = isMessage(k);
  // A plain object may leave a proto3 scalar out: it is then its default, as on the wire.
  const zero: unknown = message ? null : k.resolved !== null ? 0 : k.type === 'string' ? '' : k.type === 'bool' ? false : k.type === 'bytes' ? new Uint8Array(0) : 0;
  const enumZero = k.resolved !== null && !message ? (v: unknown): boolean => v === 0 || (k.resolved as protobuf.Enum).values[String(v)] === 0 : undefined;
  return (given, path, out) => {
    const value = given === undefined ? zero : given;
    const absent = message ? value === null : enumZero !== undefined ? enumZero(value) : isEmpty(value);
    if (absent && required) return void out.push({ field: path, message: 'value is required' });
    if (message && absent) return;
    const v = unwrap ? (value as { value?: unknown }).value : value;
    if (ignoreEmpty && (enumZero?.(v) ?? isEmpty(v))) return;
    for (const f of checks) {
      const m = f(v);
      if (m !== undefined) out.push({ field: path, message: m });
    }
    nested?.(value, path, out);
  };
}

/** CEL expressions (protovalidate's `cel`) anywhere in `rules`: kratos-ts cannot evaluate them. */
function refuseCel(rules: Rules): void {
  for (const [k, v] of Object.entries(rules)) {
    if (k === 'cel' || k === 'cel_expression') throw new RuleError(`CEL rules cannot be honoured (kratos-ts has no CEL interpreter): ${JSON.stringify(v)}`);
    if (typeof v === 'object' && v !== null && !(v instanceof Uint8Array)) refuseCel(v as Rules);
  }
}

const isIgnoredAlways = (rules: Rules): boolean => rules['ignore'] === 'IGNORE_ALWAYS' || rules['ignore'] === 3;

/** The check of a field: repeated and map rules around each element's {@link valueCheck}. */
export function fieldCheck(field: protobuf.Field, given: Rules, messageCheck: MessageCheckFor, set: RuleSet = 'pgv'): Check {
  refuseCel(given);
  const rules = isIgnoredAlways(given) ? {} : given;
  const key = typeKey(rules);
  const requiredMany = rules['required'] === true;
  if ((field.map || field.repeated) && rules['message'] !== undefined) {
    throw new RuleError(`message rules do not apply to a ${field.map ? 'map' : 'repeated'} field (use ${field.map ? 'map.values' : 'repeated.items'}.message)`);
  }
  const kind: Kind = { type: field.type, resolved: field.resolvedType };
  if (field.map) {
    if (key !== undefined && key !== 'map') throw new RuleError(`${key} rules do not apply to a map field`);
    const keyType = (field as unknown as protobuf.MapField).keyType;
    const r = (rules['map'] ?? {}) as Rules;
    boundsCheck(r, 'min_pairs', 'max_pairs');
    const keyCheck = r['keys'] === undefined ? undefined : valueCheck({ type: keyType, resolved: null }, r['keys'] as Rules, messageCheck, set);
    const valCheck = valueCheck(kind, (r['values'] ?? {}) as Rules, messageCheck, set);
    const keyConv = (s: string): unknown => (keyType === 'bool' ? s === 'true' : s);
    return (value, path, out) => {
      const entries = Object.entries((value ?? {}) as Record<string, unknown>);
      if (requiredMany && entries.length === 0) return void out.push({ field: path, message: 'value is required' });
      if ((r['ignore_empty'] === true || rules['ignore'] === 'IGNORE_IF_ZERO_VALUE') && entries.length === 0) return;
      if (r['min_pairs'] !== undefined && entries.length < Number(r['min_pairs'])) out.push({ field: path, message: `value must contain at least ${Number(r['min_pairs'])} pair(s)` });
      if (r['max_pairs'] !== undefined && entries.length > Number(r['max_pairs'])) out.push({ field: path, message: `value must contain no more than ${Number(r['max_pairs'])} pair(s)` });
      for (const [k, v] of entries) {
        const at = `${path}[${k}]`;
        if (r['no_sparse'] === true && (v === null || v === undefined)) out.push({ field: at, message: 'value cannot be sparse, all pairs must be non-nil' });
        keyCheck?.(keyConv(k), at, out);
        valCheck(v, at, out);
      }
    };
  }
  if (field.repeated) {
    if (key !== undefined && key !== 'repeated') throw new RuleError(`${key} rules do not apply to a repeated field`);
    const r = (rules['repeated'] ?? {}) as Rules;
    boundsCheck(r, 'min_items', 'max_items');
    if (r['unique'] === true && isMessage(kind)) throw new RuleError('unique does not apply to repeated messages');
    const item = valueCheck(kind, (r['items'] ?? {}) as Rules, messageCheck, set);
    const id = (x: unknown): string => (x instanceof Uint8Array ? Buffer.from(x).toString('base64') : JSON.stringify(x));
    return (value, path, out) => {
      const items = (value ?? []) as unknown[];
      if (requiredMany && items.length === 0) return void out.push({ field: path, message: 'value is required' });
      if ((r['ignore_empty'] === true || rules['ignore'] === 'IGNORE_IF_ZERO_VALUE') && items.length === 0) return;
      if (r['min_items'] !== undefined && items.length < Number(r['min_items'])) out.push({ field: path, message: `value must contain at least ${Number(r['min_items'])} item(s)` });
      if (r['max_items'] !== undefined && items.length > Number(r['max_items'])) out.push({ field: path, message: `value must contain no more than ${Number(r['max_items'])} item(s)` });
      if (r['unique'] === true && new Set(items.map(id)).size !== items.length) out.push({ field: path, message: 'repeated value must contain unique items' });
      items.forEach((x, i) => item(x, `${path}[${i}]`, out));
    };
  }
  return valueCheck(kind, rules, messageCheck, set);
}
