import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { JsonCodec, ProtoCodec } from '../../../lib/encoding/index.js';
import { compiledJsonWriter } from '../../../lib/encoding/proto-json-fast.js';
import { ProtoJsonWriter, stringifyProtoJson } from '../../../lib/encoding/proto-json-write.js';
import { random } from './json-oracle.js';

const FIXTURES = fileURLToPath(new URL('../../../../test/fixtures/encoding/', import.meta.url));
const json = new JsonCodec();

/** What the general writer (protobufjs' fromObject and toObject, then the plan walk) makes of a value. */
function general(type: protobuf.Type, value: unknown): string | Error {
  try {
    const writer = new ProtoJsonWriter(type.root);
    return stringifyProtoJson(writer, writer.write(type, value));
  } catch (err) {
    return err as Error;
  }
}

function marshal(type: protobuf.Type, value: unknown): string | Error {
  try {
    return json.marshal(value, type).toString('utf8');
  } catch (err) {
    return err as Error;
  }
}

const STRINGS = ['', 'Hello kratos', 'quote " and \\ backslash', 'línea\nnueva \u2028 😀', '\u0000'];
const NUMBERS = [0, 1, -1, 2147483647, -2147483648, 4294967295, 1.5, -0, Number.NaN, Infinity, 1e21, 5e-324];

/** A reply of random shape: mostly what the schema says, sometimes what protobufjs must convert. */
function sample(next: () => number, clean = false): Record<string, unknown> {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
  const maybe = (v: () => unknown): unknown => (next() < 0.25 ? pick([undefined, null]) : v());
  const odd = (): unknown => pick<unknown>(['7', 7, true, {}, [], 'x']);
  const str = (): unknown => (!clean && next() < 0.1 ? odd() : pick(STRINGS));
  // Clean samples: numbers every integer field holds, as python reads them back.
  const num = (): unknown => (clean ? pick([0, 1, 42, 2147483647]) : next() < 0.1 ? odd() : pick(NUMBERS));
  const inner = (): unknown => (!clean && next() < 0.1 ? odd() : { name: maybe(str), values: maybe(() => [num(), num()]) });
  return {
    message: maybe(str),
    ok: maybe(() => (!clean && next() < 0.1 ? odd() : next() < 0.5)),
    count: maybe(num),
    size: maybe(num),
    ratio: maybe(num),
    tags: maybe(() => (!clean && next() < 0.1 ? odd() : [str(), str()])),
    inner: maybe(inner),
    items: maybe(() => [inner(), inner()]),
    note: maybe(str),
    delta: maybe(num),
    mask: maybe(num),
    offset: maybe(num),
    displayName: maybe(str),
    weights: maybe(() => [num()]),
    flags: maybe(() => [next() < 0.5, true]),
    ...(next() < 0.2 ? { unknownExtra: 'ignored' } : {}),
  };
}

describe('compiled proto3 JSON writer', () => {
  let root: protobuf.Root;
  let reply: protobuf.Type;
  let descriptorSet: string;

  before(async () => {
    root = await new protobuf.Root().load(join(FIXTURES, 'plain-reply.proto'), { keepCase: false });
    root.resolveAll();
    reply = root.lookupType('plain.v1.Reply');
    descriptorSet = join(mkdtempSync(join(tmpdir(), 'kratos-fast-json-')), 'plain.pb');
    execFileSync('protoc', ['-I', FIXTURES, '-o', descriptorSet, 'plain-reply.proto']);
  });

  it('should compile the types it covers and leave the others to the general writer', () => {
    assert.equal(typeof compiledJsonWriter(reply), 'function');
    assert.equal(typeof compiledJsonWriter(root.lookupType('plain.v1.Inner')), 'function');
    assert.equal(compiledJsonWriter(root.lookupType('plain.v1.WithLong')), null);
  });

  it('should write byte for byte what the general writer writes, and fail where it fails', () => {
    const next = random(19);
    for (let i = 0; i < 3000; i++) {
      const value = sample(next);
      const want = general(reply, value);
      const got = marshal(reply, value);
      if (want instanceof Error) assert.ok(got instanceof Error && got.message === want.message, `sample ${i}: ${JSON.stringify(value)} should fail as ${want.message}`);
      else assert.equal(got, want, `sample ${i}: ${JSON.stringify(value)}`);
    }
  });

  it('should leave message instances and values of other shapes to the general writer', () => {
    const fast = compiledJsonWriter(reply) as (v: unknown) => string | undefined;
    assert.equal(fast(reply.fromObject({ message: 'm' })), undefined);
    assert.equal(fast({ message: 5 }), undefined);
    assert.equal(fast({ ratio: -0 }), undefined);
    assert.equal(fast('text'), undefined);
    assert.equal(marshal(reply, reply.fromObject({ message: 'm', count: 3 })), general(reply, { message: 'm', count: 3 }));
  });

  it('should write what python json_format prints for the same message (Go nulls aside)', () => {
    const next = random(7);
    const proto = new ProtoCodec();
    // Values the compiled writer takes as they are (no conversion by protobufjs).
    const samples = Array.from({ length: 200 }, () => sample(next, true)).filter((v) => compiledJsonWriter(reply)?.(v) !== undefined);
    assert.ok(samples.length > 150, `only ${samples.length} samples`);
    const requests = samples.map((s) => ({ op: 'print', bin: proto.marshal(s, reply).toString('hex') }));
    const out = execFileSync('/usr/bin/python3', [join(FIXTURES, 'json_oracle.py'), descriptorSet, 'plain.v1.Reply'], { input: JSON.stringify(requests) });
    const answers = JSON.parse(out.toString('utf8')) as { json: string }[];
    samples.forEach((s, i) => {
      const ours = JSON.parse(marshal(reply, s) as string) as Record<string, unknown>;
      const python = JSON.parse((answers[i] as { json: string }).json) as Record<string, unknown>;
      // Go (and we) write an unset message as null where python leaves it out.
      for (const k of Object.keys(ours)) if (ours[k] === null && !Object.hasOwn(python, k)) delete ours[k];
      assert.deepEqual(ours, python, `sample ${i}: ${JSON.stringify(s)}`);
    });
  });
});
