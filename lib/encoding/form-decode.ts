import protobuf from 'protobufjs';
import { toCanonical } from './canonical.js';
import { codecError } from './errors.js';
import { findField, splitKey, type KeySegment } from './fields.js';
import { Budget, DEFAULT_DECODE_LIMITS, limitError, type DecodeLimits } from './limits.js';
import { isWellKnown, messageTypeOf } from './proto-json.js';
import { isUnsafeKey } from './safe-keys.js';
import { parseMapKey, parseScalar } from './scalar.js';
import { parseWellKnownText } from './wkt-text.js';

/** Bookkeeping of one decodeForm call: which oneof member each object got, which lists it built. */
interface DecodeState {
  readonly oneofs: WeakMap<object, Map<string, string>>;
  readonly lists: WeakSet<unknown[]>;
  readonly budget: Budget;
}

type Obj = Record<string, unknown>;

/** One step down a key: into a singular message field, or into one entry of a map of messages. */
interface Step {
  readonly field: protobuf.Field;
  readonly sub: protobuf.Type;
  readonly mapKey: string | undefined;
}

function isObject(value: unknown): value is Obj {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Uint8Array);
}

/** Parses one text value of a scalar, enum or well-known-type field into its canonical value. */
function parseLeaf(field: protobuf.Field, sub: protobuf.Type | undefined, raw: string, key: string): unknown {
  return sub === undefined ? parseScalar(field, raw, key) : parseWellKnownText(sub, raw, key);
}

/** A oneof takes one member per request; a member set earlier (e.g. by the body) is replaced. */
function claimOneof(field: protobuf.Field, obj: Obj, key: string, state: DecodeState): void {
  const oneof = field.partOf;
  if (oneof === null) return;
  let claimed = state.oneofs.get(obj);
  if (claimed === undefined) state.oneofs.set(obj, (claimed = new Map()));
  const previous = claimed.get(oneof.name);
  if (previous !== undefined && previous !== field.name) {
    throw codecError(`field already set for oneof ${oneof.name}: ${key}`);
  }
  claimed.set(oneof.name, field.name);
  for (const member of oneof.fieldsArray) if (member !== field) delete obj[member.name];
}

function singleValue(values: readonly string[], key: string): string {
  if (values.length > 1) throw codecError(`too many values for ${key}`);
  return values[0] ?? '';
}

function mapOf(obj: Obj, field: protobuf.Field): Obj {
  const current = obj[field.name];
  return isObject(current) ? current : (obj[field.name] = {} as Obj);
}

/** Creates (or finds) the messages a valid key walks through, only once the whole key proved valid. */
function materialize(root: Obj, steps: readonly Step[], key: string, state: DecodeState): Obj {
  let obj = root;
  for (const step of steps) {
    if (step.mapKey === undefined) {
      claimOneof(step.field, obj, key, state);
      const current = obj[step.field.name];
      obj = isObject(current) ? current : (obj[step.field.name] = toCanonical(step.sub, {}));
    } else {
      const map = mapOf(obj, step.field);
      const entry = map[step.mapKey];
      obj = isObject(entry) ? entry : (map[step.mapKey] = toCanonical(step.sub, {}));
    }
  }
  return obj;
}

function appendList(obj: Obj, field: protobuf.Field, parsed: unknown[], state: DecodeState): void {
  const current = obj[field.name];
  // The first key replaces the list (query overrides body); its other spellings then append.
  const list = Array.isArray(current) && state.lists.has(current) ? current : [];
  // One push per item: spreading a long list into push() passes it as call arguments, which has a limit.
  for (const item of parsed) list.push(item);
  state.lists.add(list);
  obj[field.name] = list;
}

/**
 * Walks one form key down the message without recursion; unknown keys are ignored without leaving
 * empty messages behind. Values are parsed before anything is written, so a bad value changes nothing.
 */
function applyKey(type: protobuf.Type, root: Obj, segments: readonly KeySegment[], key: string, values: string[], state: DecodeState): void {
  const steps: Step[] = [];
  let current = type;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as KeySegment;
    if (segment.bracket || isUnsafeKey(segment.text)) return;
    const field = findField(current, segment.text);
    if (field === undefined) return;
    const sub = messageTypeOf(field);
    const plainSub = sub !== undefined && !isWellKnown(sub) ? sub : undefined;
    const last = i === segments.length - 1;
    if (field.map) {
      const keySegment = segments[i + 1];
      if (keySegment === undefined || isUnsafeKey(keySegment.text)) return;
      const keyType = field instanceof protobuf.MapField ? field.keyType : 'string';
      const mapKey = parseMapKey(keyType, keySegment.text, key);
      if (i + 1 === segments.length - 1) {
        if (plainSub !== undefined) return;
        const value = parseLeaf(field, sub, singleValue(values, key), key);
        mapOf(materialize(root, steps, key, state), field)[mapKey] = value;
        return;
      }
      if (plainSub === undefined) return;
      steps.push({ field, sub: plainSub, mapKey });
      current = plainSub;
      i++;
      continue;
    }
    if (field.repeated) {
      // Lists of plain messages have no form syntax in Kratos either; they are skipped.
      if (!last || plainSub !== undefined) return;
      // Repeated values were charged to the element budget as they were grouped.
      const parsed = values.map((raw) => parseLeaf(field, sub, raw, key));
      appendList(materialize(root, steps, key, state), field, parsed, state);
      return;
    }
    if (last) {
      if (plainSub !== undefined) return;
      const value = parseLeaf(field, sub, singleValue(values, key), key);
      const obj = materialize(root, steps, key, state);
      claimOneof(field, obj, key, state);
      obj[field.name] = value;
      return;
    }
    if (plainSub === undefined) return;
    steps.push({ field, sub: plainSub, mapKey: undefined });
    current = plainSub;
  }
}

/**
 * Refuses a form body with more pairs than the limits allow before URLSearchParams splits it all:
 * each pair is a key or a list element.
 */
export function checkFormBudget(text: string, limits: DecodeLimits = DEFAULT_DECODE_LIMITS): void {
  let pairs = 1;
  for (let i = text.indexOf('&'); i >= 0; i = text.indexOf('&', i + 1)) pairs++;
  if (pairs > limits.maxKeys + limits.maxElements) {
    // Keys and repeats are told apart only by parsing, which is what this check avoids.
    throw limitError('maxElements', limits, `number of form pairs (${pairs} > maxKeys + maxElements)`);
  }
}

/** A key as error messages quote it: hostile keys can be a megabyte long. */
function shortKey(key: string): string {
  return JSON.stringify(key.length > 64 ? `${key.slice(0, 64)}...` : key);
}

/**
 * Form / query mapping onto a message (docs/proto-first.md#http-from-googleapihttp rules): keys are JSON names or proto names; nested via
 * dots (page.index=1); repeated via repeated keys or key[]; maps via m[key]=v or m.key=v; enums by
 * name or by a number the enum defines (an unknown number is 400, as in Kratos); bytes base64 (std
 * or url-safe); Timestamp RFC3339; Duration '1.5s'; wrappers (Int64Value etc.) as their scalar;
 * FieldMask comma list; Struct JSON; unknown keys ignored; empty strings skipped; >1 value for a
 * singular field -> KratosError 400 CODEC 'too many values for <key>'; a second oneof member -> 400
 * CODEC. Keys deeper than `limits.maxDepth` segments, more distinct keys than `maxKeys` or more
 * values than `maxElements` are a 400 CODEC naming the limit. Keys '__proto__', 'constructor',
 * 'prototype' are never assigned at any level. Returns a canonical object: `into` (a canonical
 * object, e.g. the decoded body) updated in place when given, so query values override body fields.
 */
export function decodeForm(
  type: protobuf.Type,
  params: URLSearchParams,
  into?: Record<string, unknown>,
  limits: DecodeLimits = DEFAULT_DECODE_LIMITS,
): Record<string, unknown> {
  const budget = new Budget(limits);
  const grouped = new Map<string, string[]>();
  for (const [rawKey, value] of params) {
    if (value === '') continue;
    const key = rawKey.endsWith('[]') ? rawKey.slice(0, -2) : rawKey;
    const list = grouped.get(key);
    if (list === undefined) {
      budget.keys();
      grouped.set(key, [value]);
    } else {
      budget.elements();
      list.push(value);
    }
  }
  const target = into ?? toCanonical(type, {});
  const state: DecodeState = { oneofs: new WeakMap(), lists: new WeakSet(), budget };
  for (const [key, values] of grouped) {
    const segments = splitKey(key, limits.maxDepth);
    if (segments === undefined) continue;
    if (segments.length > limits.maxDepth) throw limitError('maxDepth', limits, `form key ${shortKey(key)} nesting depth`);
    applyKey(type, target, segments, key, values, state);
  }
  return target;
}
