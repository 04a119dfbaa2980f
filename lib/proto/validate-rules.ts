import type protobuf from 'protobufjs';
import { FrameworkError } from '../errors/index.js';
import { fieldCheck, type Check, type RuleSet, type RuleViolation } from './rule-fields.js';
import { RuleError, type Rules } from './rule-scalars.js';

export type { RuleViolation } from './rule-fields.js';

// protoc-gen-validate (validate/validate.proto) and protovalidate (buf/validate/validate.proto).
const PGV = '(validate.rules)';
const BUF = '(buf.validate.field)';

function merged(field: protobuf.Field, key: string): Rules | undefined {
  let out: Rules | undefined;
  for (const o of (field.parsedOptions ?? []) as Record<string, unknown>[]) {
    const r = o[key] as Rules | undefined;
    if (r !== undefined) out = deepMerge(out ?? {}, r);
  }
  return out;
}

function deepMerge(a: Rules, b: Rules): Rules {
  const out: Rules = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const cur = out[k];
    out[k] = typeof v === 'object' && v !== null && !Array.isArray(v) && typeof cur === 'object' && cur !== null ? deepMerge(cur as Rules, v as Rules) : v;
  }
  return out;
}

const option = (o: { options?: Record<string, unknown> | undefined }, name: string): unknown => o.options?.[name];

function fileOf(obj: protobuf.ReflectionObject): string {
  for (let o: protobuf.ReflectionObject | null = obj; o !== null; o = o.parent) if (o.filename !== null && o.filename !== undefined) return o.filename;
  return '<unknown file>';
}

/** The boot error for a rule that cannot be honoured: file, message, field and why. */
export function ruleBootError(field: protobuf.Field, err: unknown): FrameworkError {
  const owner = field.parent === null ? '' : field.parent.fullName.replace(/^\./, '');
  return new FrameworkError('KRATOS_ERR_PROTO_RULE', `${fileOf(field)}: ${owner}.${field.name}: ${(err as Error).message}`, { cause: err });
}

type MessageCheck = (req: unknown, prefix: string, out: RuleViolation[]) => void;

/**
 * Validators of message types under both rule sets, one per type, built once: message-level
 * `disabled`/`ignored`, required oneofs, each field's rules, and nested messages recursively.
 */
class RuleCompiler {
  readonly #cache = new Map<protobuf.Type, { check: MessageCheck | undefined; building: boolean }>();

  for(type: protobuf.Type): MessageCheck | undefined {
    const hit = this.#cache.get(type);
    if (hit !== undefined) return hit.building ? (v, p, o) => hit.check?.(v, p, o) : hit.check;
    const entry: { check: MessageCheck | undefined; building: boolean } = { check: undefined, building: true };
    this.#cache.set(type, entry);
    entry.check = this.#build(type);
    entry.building = false;
    return entry.check;
  }

  #build(type: protobuf.Type): MessageCheck | undefined {
    if (option(type, '(validate.disabled)') === true || option(type, '(validate.ignored)') === true) return undefined;
    const fields: { name: string; check: Check; optional: boolean; dotted: string }[] = [];
    const nested = (t: protobuf.Type): Check | undefined => {
      const c = this.for(t);
      return c === undefined ? undefined : (v, p, o) => c(v, p, o);
    };
    for (const f of type.fieldsArray) {
      f.resolve();
      const pgv = merged(f, PGV);
      const buf = merged(f, BUF);
      const sub = f.resolvedType !== null && 'fields' in f.resolvedType ? this.for(f.resolvedType as protobuf.Type) : undefined;
      if (pgv === undefined && buf === undefined && sub === undefined) continue;
      try {
        // Nested messages are checked once, with the first rule set a field carries.
        const sets: [Rules, RuleSet][] = [];
        if (pgv !== undefined) sets.push([pgv, 'pgv']);
        if (buf !== undefined) sets.push([buf, 'buf']);
        if (sets.length === 0) sets.push([{}, 'pgv']);
        sets.forEach(([r, set], i) => fields.push({ name: f.name, check: fieldCheck(f, r, i === 0 ? nested : () => undefined, set), optional: f.partOf !== null, dotted: `.${f.name}` }));
      } catch (err) {
        if (err instanceof RuleError) throw ruleBootError(f, err);
        throw err;
      }
    }
    // protobufjs flattens message options to `(buf.validate.message).cel.expression`-style keys.
    const cel = Object.entries(type.options ?? {}).filter(([k]) => k.startsWith('(buf.validate.message)'));
    if (cel.length > 0) throw new FrameworkError('KRATOS_ERR_PROTO_RULE', `${fileOf(type)}: ${type.fullName.slice(1)}: message-level buf.validate rules (CEL) cannot be honoured: ${JSON.stringify(Object.fromEntries(cel))}`);
    const oneofRequired = (o: protobuf.OneOf): boolean =>
      option(o, '(validate.required)') === true || option(o, '(buf.validate.oneof).required') === true || (option(o, '(buf.validate.oneof)') as Rules | undefined)?.['required'] === true;
    const oneofs = type.oneofsArray.filter(oneofRequired).map((o) => ({ name: o.name, members: o.fieldsArray.map((f) => f.name) }));
    if (fields.length === 0 && oneofs.length === 0) return undefined;
    return (req, prefix, out) => {
      const obj = (req ?? {}) as Record<string, unknown>;
      for (const o of oneofs) {
        if (!o.members.some((m) => obj[m] !== undefined && obj[m] !== null)) out.push({ field: prefix === '' ? o.name : `${prefix}.${o.name}`, message: 'value is required' });
      }
      for (const f of fields) {
        // An unset oneof member or proto3 optional field is not checked (PGV checks only what is set).
        if (f.optional && (obj[f.name] === undefined || obj[f.name] === null)) continue;
        f.check(obj[f.name], prefix === '' ? f.name : prefix + f.dotted, out);
      }
    };
  }
}

/**
 * A validator for the protoc-gen-validate and buf.validate rules declared on `type`'s fields, nested
 * messages included; undefined when the type declares none. Built once, at boot; a rule that cannot
 * be honoured (wrong type, untranslatable RE2 pattern) throws KRATOS_ERR_PROTO_RULE naming file,
 * message and field.
 */
export function protoRules(type: protobuf.Type): ((req: unknown, prefix?: string) => RuleViolation[]) | undefined {
  const check = new RuleCompiler().for(type);
  if (check === undefined) return undefined;
  return (req, prefix = '') => {
    const out: RuleViolation[] = [];
    check(req, prefix, out);
    if (out.length < 2) return out;
    // Both rule sets on one field may report the same thing: once is enough.
    const seen = new Set<string>();
    return out.filter((v) => !seen.has(`${v.field}\0${v.message}`) && seen.add(`${v.field}\0${v.message}`) !== undefined);
  };
}
