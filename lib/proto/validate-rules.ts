import type protobuf from 'protobufjs';

/** One failed rule: the field's dotted path (camelCase) and why. */
export interface RuleViolation {
  field: string;
  message: string;
}

type Rules = Record<string, unknown>;
type Check = (value: unknown, path: string, out: RuleViolation[]) => void;

const KEY = '(buf.validate.field)';
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function rulesOf(field: protobuf.Field): Rules | undefined {
  let merged: Rules | undefined;
  for (const o of (field.parsedOptions ?? []) as Record<string, unknown>[]) {
    const r = o[KEY] as Rules | undefined;
    if (r !== undefined) merged = deepMerge(merged ?? {}, r);
  }
  return merged;
}

function deepMerge(a: Rules, b: Rules): Rules {
  const out: Rules = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const cur = out[k];
    out[k] = typeof v === 'object' && v !== null && !Array.isArray(v) && typeof cur === 'object' && cur !== null ? deepMerge(cur as Rules, v as Rules) : v;
  }
  return out;
}

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

function numberChecks(r: Rules): ((n: number) => string | undefined)[] {
  const c: ((n: number) => string | undefined)[] = [];
  const num = (k: string): number | undefined => (r[k] === undefined ? undefined : Number(r[k]));
  const [cst, lt, lte, gt, gte] = [num('const'), num('lt'), num('lte'), num('gt'), num('gte')];
  if (cst !== undefined) c.push((n) => (n === cst ? undefined : `value must equal ${cst}`));
  if (lt !== undefined) c.push((n) => (n < lt ? undefined : `value must be less than ${lt}`));
  if (lte !== undefined) c.push((n) => (n <= lte ? undefined : `value must be less than or equal to ${lte}`));
  if (gt !== undefined) c.push((n) => (n > gt ? undefined : `value must be greater than ${gt}`));
  if (gte !== undefined) c.push((n) => (n >= gte ? undefined : `value must be greater than or equal to ${gte}`));
  const inList = list(r['in']).map(Number);
  if (inList.length > 0) c.push((n) => (inList.includes(n) ? undefined : `value must be in list [${inList.join(', ')}]`));
  const notIn = list(r['not_in']).map(Number);
  if (notIn.length > 0) c.push((n) => (notIn.includes(n) ? `value must not be in list [${notIn.join(', ')}]` : undefined));
  return c;
}

function stringChecks(r: Rules): ((s: string) => string | undefined)[] {
  const c: ((s: string) => string | undefined)[] = [];
  const len = (s: string): number => [...s].length;
  if (r['len'] !== undefined) c.push((s) => (len(s) === Number(r['len']) ? undefined : `value length must be ${Number(r['len'])} characters`));
  if (r['min_len'] !== undefined) c.push((s) => (len(s) >= Number(r['min_len']) ? undefined : `value length must be at least ${Number(r['min_len'])} characters`));
  if (r['max_len'] !== undefined) c.push((s) => (len(s) <= Number(r['max_len']) ? undefined : `value length must be at most ${Number(r['max_len'])} characters`));
  if (typeof r['pattern'] === 'string') {
    const re = new RegExp(r['pattern'] as string, 'u');
    c.push((s) => (re.test(s) ? undefined : `value does not match regex pattern \`${r['pattern'] as string}\``));
  }
  if (typeof r['prefix'] === 'string') c.push((s) => (s.startsWith(r['prefix'] as string) ? undefined : `value does not have prefix \`${r['prefix'] as string}\``));
  if (typeof r['suffix'] === 'string') c.push((s) => (s.endsWith(r['suffix'] as string) ? undefined : `value does not have suffix \`${r['suffix'] as string}\``));
  if (typeof r['contains'] === 'string') c.push((s) => (s.includes(r['contains'] as string) ? undefined : `value does not contain substring \`${r['contains'] as string}\``));
  if (r['const'] !== undefined) c.push((s) => (s === r['const'] ? undefined : `value must equal \`${String(r['const'])}\``));
  const inList = list(r['in']).map(String);
  if (inList.length > 0) c.push((s) => (inList.includes(s) ? undefined : `value must be in list [${inList.join(', ')}]`));
  const notIn = list(r['not_in']).map(String);
  if (notIn.length > 0) c.push((s) => (notIn.includes(s) ? `value must not be in list [${notIn.join(', ')}]` : undefined));
  if (r['email'] === true) c.push((s) => (EMAIL.test(s) ? undefined : 'value must be a valid email address'));
  if (r['uuid'] === true) c.push((s) => (UUID.test(s) ? undefined : 'value must be a valid UUID'));
  return c;
}

function isSet(field: protobuf.Field, v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (field.repeated) return (v as unknown[]).length > 0;
  if (field.map) return Object.keys(v as object).length > 0;
  if (field.resolvedType !== null && 'fields' in field.resolvedType) return true;
  return v !== '' && v !== 0 && v !== '0' && v !== false && !(v instanceof Uint8Array && v.length === 0) && !(typeof v === 'string' && /_UNSPECIFIED$/.test(v) && field.resolvedType !== null);
}

function fieldCheck(field: protobuf.Field, rules: Rules): Check {
  const scalar = (Object.entries(rules).find(([k]) => k !== 'required' && k !== 'repeated') ?? [])[1] as Rules | undefined;
  const kind = Object.keys(rules).find((k) => k !== 'required' && k !== 'repeated');
  const elem: ((v: unknown) => string | undefined)[] = [];
  if (scalar !== undefined && kind === 'string') elem.push(...stringChecks(scalar).map((f) => (v: unknown) => f(String(v))));
  else if (scalar !== undefined && kind === 'bytes') {
    const min = scalar['min_len'] === undefined ? undefined : Number(scalar['min_len']);
    const max = scalar['max_len'] === undefined ? undefined : Number(scalar['max_len']);
    elem.push((v) => {
      const n = (v as Uint8Array | undefined)?.length ?? 0;
      if (min !== undefined && n < min) return `value length must be at least ${min} bytes`;
      if (max !== undefined && n > max) return `value length must be at most ${max} bytes`;
      return undefined;
    });
  } else if (scalar !== undefined && kind === 'enum') {
    const e = field.resolvedType as protobuf.Enum;
    const num = (v: unknown): number => (typeof v === 'number' ? v : (e.values[String(v)] ?? NaN));
    if (scalar['defined_only'] === true) elem.push((v) => (Object.values(e.values).includes(num(v)) ? undefined : 'value must be one of the defined enum values'));
    elem.push(...numberChecks(scalar).map((f) => (v: unknown) => f(num(v))));
  } else if (scalar !== undefined) elem.push(...numberChecks(scalar).map((f) => (v: unknown) => f(Number(v))));
  const rep = rules['repeated'] as Rules | undefined;
  return (value, path, out) => {
    if (rules['required'] === true && !isSet(field, value)) return void out.push({ field: path, message: 'value is required' });
    if (field.repeated) {
      const items = (value ?? []) as unknown[];
      if (rep?.['min_items'] !== undefined && items.length < Number(rep['min_items'])) out.push({ field: path, message: `value must contain at least ${Number(rep['min_items'])} item(s)` });
      if (rep?.['max_items'] !== undefined && items.length > Number(rep['max_items'])) out.push({ field: path, message: `value must contain no more than ${Number(rep['max_items'])} item(s)` });
      if (rep?.['unique'] === true && new Set(items.map((x) => JSON.stringify(x))).size !== items.length) out.push({ field: path, message: 'repeated value must contain unique items' });
      items.forEach((x, i) => { for (const f of elem) { const m = f(x); if (m !== undefined) out.push({ field: `${path}[${i}]`, message: m }); } });
      return;
    }
    if (value === undefined || value === null) return;
    for (const f of elem) {
      const m = f(value);
      if (m !== undefined) out.push({ field: path, message: m });
    }
  };
}

/**
 * A validator for the buf.validate (protovalidate) rules declared on `type`'s fields, nested messages
 * included; undefined when the type declares none. Built once, at boot.
 */
export function protoRules(type: protobuf.Type, seen = new Set<protobuf.Type>()): ((req: unknown, prefix?: string) => RuleViolation[]) | undefined {
  if (seen.has(type)) return undefined;
  seen.add(type);
  const checks: { name: string; check?: Check; nested?: (req: unknown, prefix?: string) => RuleViolation[] }[] = [];
  for (const f of type.fieldsArray) {
    f.resolve();
    const rules = rulesOf(f);
    const sub = f.resolvedType !== null && 'fields' in f.resolvedType && !f.repeated && !f.map ? protoRules(f.resolvedType as protobuf.Type, seen) : undefined;
    if (rules !== undefined || sub !== undefined) checks.push({ name: f.name, ...(rules === undefined ? {} : { check: fieldCheck(f, rules) }), ...(sub === undefined ? {} : { nested: sub }) });
  }
  if (checks.length === 0) return undefined;
  return (req, prefix = '') => {
    const out: RuleViolation[] = [];
    const obj = (req ?? {}) as Record<string, unknown>;
    for (const c of checks) {
      const path = prefix === '' ? c.name : `${prefix}.${c.name}`;
      c.check?.(obj[c.name], path, out);
      if (c.nested !== undefined && obj[c.name] !== undefined && obj[c.name] !== null) out.push(...c.nested(obj[c.name], path));
    }
    return out;
  };
}
