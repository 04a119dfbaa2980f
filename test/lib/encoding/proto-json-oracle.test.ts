import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import type protobuf from 'protobufjs';
import { JsonCodec, ProtoCodec } from '../../../lib/encoding/index.js';
import { askPython, loadConformance, random, sample } from './json-oracle.js';

const json = new JsonCodec();
const proto = new ProtoCodec();

/** Go's EmitUnpopulated writes unset message fields as null where python leaves them out. */
function withoutGoNulls(ours: unknown, python: unknown): unknown {
  // Python writes float32 with at least 6 digits (1.4013e-45), Go the shortest that reads back (1e-45).
  if (typeof ours === 'number' && typeof python === 'number' && Math.fround(ours) === Math.fround(python)) return python;
  if (Array.isArray(ours) && Array.isArray(python)) return ours.map((v, i) => withoutGoNulls(v, python[i]));
  if (ours === null || typeof ours !== 'object' || python === null || typeof python !== 'object' || Array.isArray(python)) return ours;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(ours)) {
    if (v === null && !Object.hasOwn(python, k)) continue;
    out[k] = withoutGoNulls(v, (python as Record<string, unknown>)[k]);
  }
  return out;
}

/** Python's json module reads the JSON number -0 as the integer 0, so its float fields lose the sign; Go keeps it. */
function unsignedZeros(value: unknown): unknown {
  if (Object.is(value, -0)) return 0;
  if (Array.isArray(value)) return value.map(unsignedZeros);
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unsignedZeros(v)]));
}

/**
 * JSON texts at the edges of proto3 JSON. `go` is what Go's protojson (with DiscardUnknown) does
 * where python 3.21's json_format, the oracle here, differs: then ours must do what Go does.
 */
const EDGES: { text: string; go?: 'accept' | 'reject' }[] = [
  { text: '{"fInt64": 9007199254740993, "fSint64": -9223372036854775808}' },
  { text: '{"fUint64": 18446744073709551615, "fFixed64": 18446744073709551615}' },
  { text: '{"fUint64": 18446744073709551616}' },
  { text: '{"fInt64": "9223372036854775808"}' },
  { text: '{"fInt64": "-9223372036854775808", "rInt64": [1, "2", 9007199254740993]}' },
  { text: '{"fInt32": 1e2, "fUint32": 4294967295}' },
  { text: '{"fInt32": 1.5}' },
  { text: '{"fInt32": 2147483648}' },
  { text: '{"fUint32": -1}' },
  { text: '{"nullValue": null}' },
  { text: '{"nullValue": "NULL_VALUE", "choiceNull": null}' },
  { text: '{"value": null, "rValue": [null, 1, "a", true, {"k": []}]}' },
  { text: '{"mValue": {"a": null, "b": {"c": [1.5]}}}' },
  { text: '{"fFloat": 3.4028235e+38}', go: 'accept' },
  { text: '{"fFloat": 3.5e38}' },
  { text: '{"fFloat": "NaN", "fDouble": "-Infinity", "rFloat": ["Infinity", 1.5]}' },
  { text: '{"fDouble": "1e3"}' },
  { text: '{"customName": "by json_name"}' },
  { text: '{"renamed_field": "by proto name"}' },
  { text: '{"renamedField": "lowerCamel of a field with its own json_name is unknown"}' },
  { text: '{"fBool": "true"}' },
  { text: '{"fString": 1}' },
  { text: '{"kind": "KIND_SECOND", "rKind": ["KIND_FIRST", 2, 9]}' },
  { text: '{"kind": "NOT_A_KIND"}', go: 'accept' },
  { text: '{"kind": 7}' },
  { text: '{"choiceText": "a", "choiceNumber": 1}' },
  { text: '{"fInt32": 1, "f_int32": 2}', go: 'reject' },
  { text: '{"mBool": {"true": "x", "false": "y"}, "mInt64": {"-9223372036854775808": "min"}}' },
  { text: '{"mBool": {"1": "x"}}' },
  { text: '{"mUint64": {"18446744073709551615": 1.5}, "mSint32": {"-1": "KIND_FIRST"}}' },
  { text: '{"fBytes": "_-8", "rBytes": ["AAEC", "AAE="]}' },
  { text: '{"fBytes": "!!"}', go: 'reject' },
  { text: '{"timestamp": "1972-01-01T10:00:20.021-05:00", "duration": "-0.5s", "fieldMask": "fInt32,node.label"}' },
  { text: '{"timestamp": "10000-01-01T00:00:00Z"}' },
  { text: '{"duration": "1.5"}' },
  { text: '{"any": {"@type": "type.googleapis.com/google.protobuf.Duration", "value": "1s"}}' },
  { text: '{"any": {"@type": "type.googleapis.com/conformance.v1.Node", "label": "x", "child": {"label": "y"}}}' },
  { text: '{"any": {"@type": "type.googleapis.com/conformance.v1.Missing"}}' },
  { text: '{"wInt64": "12", "wFloat": null, "wBytes": "AQI=", "wUint64": 18446744073709551615, "wBool": false}' },
  { text: '{"struct": {"a": {"b": [null, false]}}, "listValue": [1, "x"], "empty": {}}' },
  { text: '{"node": {"child": {"child": {"label": "deep", "children": [{}, {"label": "c"}]}}}}' },
  { text: '{"optInt32": 0, "optString": "", "optKind": "KIND_UNSPECIFIED"}' },
  { text: '{"unknownField": {"anything": [1, 2]}, "fInt32": -0}' },
  { text: '{"fString": "\\u0000a", "rString": ["\\u00001"]}' },
  { text: '{"fString": "\\u0000a", "fInt64": 9007199254740993, "rInt64": [1.0, 2e0]}' },
  { text: '{"fString": 9007199254740993}' },
  { text: '{"mInt32": {"+1": "1", "02": 2}}' },
];

describe('proto3 JSON against python json_format (the oracle)', () => {
  let type: protobuf.Type;
  let descriptorSet: string;
  before(async () => ({ type, descriptorSet } = await loadConformance()));

  const ours = (text: string): Record<string, unknown> => json.unmarshal(Buffer.from(text), type) as Record<string, unknown>;
  const fromHex = (hex: string): Record<string, unknown> => proto.unmarshal(Buffer.from(hex, 'hex'), type) as Record<string, unknown>;

  it('should write what python reads back identically, and read what python writes, for 80 random messages', () => {
    const rnd = random(20261127);
    // Through the binary form first, so float32 fields hold what a float32 can (11.23 -> 11.229999542236328).
    const samples = Array.from({ length: 80 }, () => fromHex(proto.marshal(sample(rnd, type), type).toString('hex')));
    const texts = samples.map((s) => json.marshal(s, type).toString('utf8'));
    const answers = askPython(descriptorSet, [
      ...texts.map((text) => ({ op: 'parse' as const, text })),
      ...samples.map((s) => ({ op: 'print' as const, bin: proto.marshal(s, type).toString('hex') })),
    ]);
    samples.forEach((s, i) => {
      const parsed = answers[i];
      const printed = answers[samples.length + i];
      assert.ok(parsed?.ok, `sample ${i}: python refused our JSON: ${parsed?.error}\n${texts[i]}`);
      assert.deepEqual(fromHex(parsed.bin as string), unsignedZeros(ours(texts[i] as string)), `sample ${i}: python read our JSON differently\n${texts[i]}`);
      assert.deepEqual(ours(printed?.json as string), s, `sample ${i}: we read python's JSON differently\n${printed?.json}`);
      const pythonTree = JSON.parse(printed?.json as string) as unknown;
      assert.deepEqual(withoutGoNulls(JSON.parse(texts[i] as string), pythonTree), pythonTree, `sample ${i}: our JSON differs from python's`);
    });
  });

  it('should accept and refuse the edge cases exactly as protojson does, with the same result', () => {
    const answers = askPython(descriptorSet, EDGES.map(({ text }) => ({ op: 'parse' as const, text })));
    EDGES.forEach(({ text, go }, i) => {
      const python = answers[i];
      let mine: Record<string, unknown> | undefined;
      let error: unknown;
      try {
        mine = ours(text);
      } catch (err) {
        error = err;
      }
      const expected = go ?? (python?.ok ? 'accept' : 'reject');
      if (expected === 'reject') {
        assert.ok(error !== undefined, `${text}: accepted, python refused it (${python?.error})`);
        assert.equal((error as { code?: number }).code, 400, text);
        return;
      }
      assert.equal(error, undefined, `${text}: refused (${(error as Error | undefined)?.message}), protojson accepts it`);
      if (go === undefined) assert.deepEqual(mine, fromHex(python?.bin as string), `${text}: read differently from python`);
    });
  });

  it('should keep every digit of 64-bit numbers and read float32 maximum and NullValue as protojson', () => {
    assert.equal(ours('{"fInt64": 9007199254740993}')['fInt64'], '9007199254740993');
    assert.equal(ours('{"fUint64": 18446744073709551615}')['fUint64'], '18446744073709551615');
    assert.equal(ours('{"fFloat": 3.4028235e+38}')['fFloat'], 3.4028234663852886e38);
    assert.equal(ours('{"kind": "NOT_A_KIND"}')['kind'], 'KIND_UNSPECIFIED', 'DiscardUnknown leaves an unknown enum name unset');
    assert.equal(ours('{"renamedField": "x"}')['renamedField'], '', 'lowerCamel of a json_name field is unknown');
    assert.deepEqual(ours('{"value": null}')['value'], { nullValue: 'NULL_VALUE' });
  });

  it('should write NullValue as null, float32 in its own shortest form, and an Any with its unpopulated fields', () => {
    const node = type.root.lookupType('conformance.v1.Node');
    const any = { type_url: 'type.googleapis.com/conformance.v1.Node', value: node.encode(node.fromObject({ label: 'x' })).finish() };
    const out = JSON.parse(json.marshal({ fFloat: 1e21, rFloat: [11.23], nullValue: 'NULL_VALUE', any }, type).toString()) as Record<string, unknown>;
    assert.equal(out['nullValue'], null);
    assert.equal(JSON.stringify(out['fFloat']), '1e+21');
    assert.equal(json.marshal({ fFloat: 1.401298464324817e-45 }, type).toString().match(/"fFloat":([^,]+)/)?.[1], '1e-45');
    assert.deepEqual(out['rFloat'], [11.23]);
    assert.deepEqual(out['any'], { '@type': 'type.googleapis.com/conformance.v1.Node', label: 'x', child: null, children: [] });
    assert.deepEqual(out['mValue'], {});
    assert.ok(json.marshal({ fDouble: -0 }, type).toString().includes('"fDouble":-0'), 'negative zero keeps its sign, as Go writes it');
  });
});
