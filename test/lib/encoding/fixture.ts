import protobuf from 'protobufjs';
import { fileURLToPath } from 'node:url';
import { toCanonical } from '../../../lib/encoding/index.js';

// Compiled tests run from dist*/test/lib/encoding/, four levels below the repository root.
const PROTO = fileURLToPath(new URL('../../../../test/fixtures/encoding/all-types.proto', import.meta.url));

/** The fixture types of test/fixtures/encoding/all-types.proto. */
export interface FixtureTypes {
  readonly root: protobuf.Root;
  readonly AllTypes: protobuf.Type;
  readonly Sub: protobuf.Type;
  readonly Page: protobuf.Type;
}

/** Loads the fixture schema (protobufjs resolves google/protobuf/* itself). */
export async function loadFixture(): Promise<FixtureTypes> {
  const root = await new protobuf.Root().load(PROTO);
  return {
    root,
    AllTypes: root.lookupType('fixtures.v1.AllTypes'),
    Sub: root.lookupType('fixtures.v1.Sub'),
    Page: root.lookupType('fixtures.v1.Page'),
  };
}

/** Every byte value once, to catch base64 and binary mistakes. */
export const ALL_BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));

/**
 * A canonical AllTypes with every field away from its default, at the extremes of each scalar
 * type. `withRepeatedMessages: false` leaves out what the form mapping cannot express.
 */
export function fullSample(type: protobuf.Type, withRepeatedMessages = true): Record<string, unknown> {
  return toCanonical(type, {
    fDouble: Number.NaN,
    fFloat: Number.POSITIVE_INFINITY,
    fInt32: -2147483648,
    fInt64: '-9223372036854775808',
    fUint32: 4294967295,
    fUint64: '18446744073709551615',
    fSint32: 2147483647,
    fSint64: '9223372036854775807',
    fFixed32: 4294967295,
    fFixed64: '18446744073709551615',
    fSfixed32: -2147483648,
    fSfixed64: '-9223372036854775808',
    fBool: true,
    fString: 'héllo ✓ & <x> a=b&c %20 +',
    fBytes: ALL_BYTES,
    color: 'COLOR_GREEN',
    ids: ['1', '-9223372036854775808', '9223372036854775807'],
    tags: ['a', 'b c', 'ü'],
    ...(withRepeatedMessages ? { subs: [{ userName: 'x', count: '3', color: 'COLOR_RED' }, { userName: 'y' }] } : {}),
    colors: ['COLOR_RED', 'COLOR_GREEN'],
    counts: { a: '-9223372036854775808', b: '0' },
    subsById: { '3': { userName: 'u', count: '1' }, '-2': { color: 'COLOR_GREEN' } },
    choiceNumber: 0,
    page: { index: 1, size: 20, owner: { userName: 'o', count: '18' } },
    sub: { userName: 'nested', count: '-1', color: 'COLOR_RED' },
    createdAt: { seconds: '1704164645', nanos: 500000000 },
    ttl: { seconds: '90', nanos: 500000000 },
    optInt64: { value: '-9223372036854775808' },
    optString: { value: 'wrapped' },
    optBool: { value: false },
    extra: {
      fields: {
        n: { numberValue: 1.5 },
        list: { listValue: { values: [{ stringValue: 's' }, { boolValue: true }, { nullValue: 'NULL_VALUE' }] } },
        obj: { structValue: { fields: { k: { stringValue: 'v' } } } },
      },
    },
    updateMask: { paths: ['user_name', 'page.index'] },
    anyValue: { stringValue: 'hi' },
    optBytes: { value: Buffer.from([0, 255, 62, 63]) },
    optUint64: { value: '18446744073709551615' },
  });
}

/** Asserts `fn` throws a KratosError with this HTTP code and reason CODEC; returns it for more checks. */
export function codecFailure(fn: () => unknown, code = 400): Error & { code: number; reason: string } {
  try {
    fn();
  } catch (err) {
    const e = err as Error & { code: number; reason: string };
    if (e.code !== code || e.reason !== 'CODEC') throw new Error(`expected ${code} CODEC, got ${String(err)}`, { cause: err });
    return e;
  }
  throw new Error(`expected ${code} CODEC, nothing was thrown`);
}
