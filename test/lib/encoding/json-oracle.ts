import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

const FIXTURES = fileURLToPath(new URL('../../../../test/fixtures/encoding/', import.meta.url));
export const MESSAGE = 'conformance.v1.Everything';

/** One answer of test/fixtures/encoding/json_oracle.py. */
export interface OracleAnswer {
  ok?: boolean;
  bin?: string;
  error?: string;
  json?: string;
}

/** The fixture compiled by protoc (the descriptor set python reads) and loaded by protobufjs. */
export async function loadConformance(): Promise<{ type: protobuf.Type; descriptorSet: string }> {
  const descriptorSet = join(mkdtempSync(join(tmpdir(), 'kratos-json-oracle-')), 'conformance.pb');
  execFileSync('protoc', ['-I', FIXTURES, '-I', '/usr/include', '--include_imports', '-o', descriptorSet, 'conformance.proto']);
  const root = await new protobuf.Root().load(join(FIXTURES, 'conformance.proto'), { keepCase: false });
  root.resolveAll();
  return { type: root.lookupType(MESSAGE), descriptorSet };
}

/** Asks python's json_format, in one process for the whole batch. */
export function askPython(descriptorSet: string, requests: ({ op: 'parse'; text: string } | { op: 'print'; bin: string })[]): OracleAnswer[] {
  const out = execFileSync('/usr/bin/python3', [join(FIXTURES, 'json_oracle.py'), descriptorSet, MESSAGE], {
    input: JSON.stringify(requests),
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out.toString('utf8')) as OracleAnswer[];
}

/** A small deterministic generator (mulberry32), so a failing sample can be reproduced. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const EXTREMES: Readonly<Record<string, readonly unknown[]>> = {
  double: [0, -0, -0.5, 1e-300, 1.7976931348623157e308, 5e-324, 0.1, 123456.789, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY],
  // Not float32's maximum: Go writes it 3.4028235e+38, which python 3.21 refuses as too large (see EDGES).
  float: [0, 11.23, -3.5, 3e38, 1.401298464324817e-45, 1e21, 0.1, Number.NaN, Number.NEGATIVE_INFINITY],
  int32: [0, -1, 2147483647, -2147483648, 42],
  sint32: [0, -1, 2147483647, -2147483648],
  sfixed32: [0, -1, 2147483647, -2147483648],
  uint32: [0, 1, 4294967295],
  fixed32: [0, 1, 4294967295],
  int64: ['0', '-1', '9223372036854775807', '-9223372036854775808', '9007199254740993'],
  sint64: ['0', '-9223372036854775808', '9223372036854775807'],
  sfixed64: ['0', '-9223372036854775808', '9223372036854775807'],
  uint64: ['0', '18446744073709551615', '9007199254740993'],
  fixed64: ['0', '18446744073709551615'],
  bool: [true, false],
  string: ['', 'plain', 'ünïcødé ✓ 😀', 'quote " backslash \\ newline \n', '\u0001'],
  bytes: [Buffer.alloc(0), Buffer.from([0, 255, 128]), Buffer.from('hello')],
};

function pick<T>(rnd: () => number, list: readonly T[]): T {
  return list[Math.floor(rnd() * list.length)] as T;
}

function scalar(rnd: () => number, kind: string): unknown {
  return pick(rnd, EXTREMES[kind] ?? [0]);
}

function mapKey(rnd: () => number, kind: string): string {
  if (kind === 'bool') return String(pick(rnd, [true, false]));
  if (kind === 'string') return pick(rnd, ['', 'k', 'a.b', 'ключ']);
  return String(scalar(rnd, kind));
}

function jsonValue(rnd: () => number, depth: number): Record<string, unknown> {
  const kinds = depth > 2 ? ['null', 'number', 'string', 'bool'] : ['null', 'number', 'string', 'bool', 'list', 'struct'];
  switch (pick(rnd, kinds)) {
    case 'null': return { nullValue: 'NULL_VALUE' };
    case 'number': return { numberValue: pick(rnd, [0, -1.5, 1e21, 123]) };
    case 'string': return { stringValue: pick(rnd, ['', 'x', 'ü']) };
    case 'bool': return { boolValue: rnd() < 0.5 };
    case 'list': return { listValue: { values: [jsonValue(rnd, depth + 1), jsonValue(rnd, depth + 1)] } };
    default: return { structValue: { fields: { a: jsonValue(rnd, depth + 1), 'b c': jsonValue(rnd, depth + 1) } } };
  }
}

function wellKnown(rnd: () => number, type: protobuf.Type, depth: number): unknown {
  const name = type.fullName.slice('.google.protobuf.'.length);
  switch (name) {
    case 'Timestamp': return pick(rnd, [{ seconds: '0', nanos: 0 }, { seconds: '-62135596800', nanos: 0 }, { seconds: '253402300799', nanos: 999999999 }, { seconds: '1700000000', nanos: 120000000 }]);
    case 'Duration': return pick(rnd, [{ seconds: '0', nanos: 0 }, { seconds: '-1', nanos: -500000000 }, { seconds: '315576000000', nanos: 0 }, { seconds: '3', nanos: 1000 }]);
    case 'FieldMask': return pick(rnd, [{ paths: [] }, { paths: ['f_int32', 'node.label'] }]);
    case 'Struct': return { fields: { x: jsonValue(rnd, depth), y: jsonValue(rnd, depth) } };
    case 'ListValue': return { values: [jsonValue(rnd, depth), jsonValue(rnd, depth)] };
    case 'Value': return jsonValue(rnd, depth);
    case 'Empty': return {};
    case 'Any': {
      const node = type.root.lookupType('conformance.v1.Node');
      const dur = type.root.lookupType('google.protobuf.Duration');
      return rnd() < 0.5
        ? { type_url: 'type.googleapis.com/conformance.v1.Node', value: node.encode(node.fromObject({ label: pick(rnd, ['', 'inner']) })).finish() }
        : { type_url: 'type.googleapis.com/google.protobuf.Duration', value: dur.encode(dur.fromObject({ seconds: 90 })).finish() };
    }
    default: {
      const field = type.fields['value'] as protobuf.Field;
      return { value: scalar(rnd, field.type) };
    }
  }
}

function singular(rnd: () => number, field: protobuf.Field, depth: number): unknown {
  const t = field.resolve().resolvedType;
  if (t instanceof protobuf.Enum) return t.fullName === '.google.protobuf.NullValue' ? 'NULL_VALUE' : pick(rnd, [...Object.keys(t.values), 7]);
  if (t instanceof protobuf.Type) {
    if (t.fullName.startsWith('.google.protobuf.')) return wellKnown(rnd, t, depth);
    return sample(rnd, t, depth + 1);
  }
  return scalar(rnd, field.type);
}

/** A random plain object of `type`: each field set with probability 1/2, recursion cut at depth 3. */
export function sample(rnd: () => number, type: protobuf.Type, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const oneofsTaken = new Set<string>();
  for (const field of type.fieldsArray) {
    if (rnd() < 0.5) continue;
    const t = field.resolve().resolvedType;
    if (t instanceof protobuf.Type && t === type && depth >= 3) continue;
    if (field.partOf !== null) {
      if (oneofsTaken.has(field.partOf.name)) continue;
      oneofsTaken.add(field.partOf.name);
    }
    if (field.map) {
      const keyType = (field as unknown as protobuf.MapField).keyType;
      const map: Record<string, unknown> = {};
      for (let i = 0; i < 2; i++) map[mapKey(rnd, keyType)] = singular(rnd, field, depth);
      out[field.name] = map;
    } else if (field.repeated) {
      out[field.name] = [singular(rnd, field, depth), singular(rnd, field, depth)];
    } else {
      out[field.name] = singular(rnd, field, depth);
    }
  }
  return out;
}
