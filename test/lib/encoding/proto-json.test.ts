import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fromProtoJson, toCanonical, toProtoJson, CANONICAL } from '../../../lib/encoding/index.js';
import { codecFailure, loadFixture } from './fixture.js';

const { AllTypes, Sub } = await loadFixture();

describe('proto3 JSON mapping', () => {
  describe('toCanonical', () => {
    it('should fill defaults, stringify 64-bit values and name enums', () => {
      const c = toCanonical(Sub, { count: 5, color: 2 });
      assert.deepEqual(c, { userName: '', count: '5', color: 'COLOR_GREEN' });
      assert.equal(CANONICAL.longs, String);
    });

    it('should keep oneof members only when set', () => {
      assert.equal(Object.hasOwn(toCanonical(AllTypes, {}), 'choiceText'), false);
      assert.equal(toCanonical(AllTypes, { choiceNumber: 0 })['choiceNumber'], 0);
    });
  });

  describe('toProtoJson', () => {
    it('should emit unpopulated fields with their zero values (EmitUnpopulated)', () => {
      const json = toProtoJson(AllTypes, {}) as Record<string, unknown>;
      assert.equal(json['fInt32'], 0);
      assert.equal(json['fInt64'], '0');
      assert.equal(json['fUint64'], '0');
      assert.equal(json['fBool'], false);
      assert.equal(json['fString'], '');
      assert.equal(json['fBytes'], '');
      assert.equal(json['color'], 'COLOR_UNSPECIFIED');
      assert.deepEqual(json['ids'], []);
      assert.deepEqual(json['counts'], {});
      assert.equal(json['page'], null);
      assert.equal(json['createdAt'], null);
      assert.equal(Object.hasOwn(json, 'choiceText'), false, 'unset oneof member');
      // As Go's protojson: an unset google.protobuf.Value is written null (which reads back as NULL_VALUE).
      assert.equal(json['anyValue'], null);
    });

    it('should fill unpopulated fields inside set messages, lists and maps but not inside WKTs', () => {
      const json = toProtoJson(AllTypes, {
        page: { index: 2 },
        subs: [{}],
        subsById: { 1: { userName: 'a' } },
        createdAt: { seconds: 1 },
      }) as Record<string, unknown>;
      assert.deepEqual(json['page'], { index: 2, size: 0, owner: null });
      assert.deepEqual(json['subs'], [{ userName: '', count: '0', color: 'COLOR_UNSPECIFIED' }]);
      assert.deepEqual(json['subsById'], { 1: { userName: 'a', count: '0', color: 'COLOR_UNSPECIFIED' } });
      assert.equal(json['createdAt'], '1970-01-01T00:00:01Z');
    });

    it('should write well-known types in their JSON forms', () => {
      const json = toProtoJson(AllTypes, {
        createdAt: { seconds: '1704164645', nanos: 0 },
        ttl: { seconds: 1, nanos: 500000000 },
        optInt64: { value: '9007199254740993' },
        optString: { value: 's' },
        optBool: { value: true },
        extra: { fields: { a: { numberValue: 1 }, b: { listValue: { values: [{ stringValue: 'x' }] } } } },
        updateMask: { paths: ['user_name', 'page.index'] },
        fDouble: Number.NaN,
        fFloat: Number.NEGATIVE_INFINITY,
      }) as Record<string, unknown>;
      assert.equal(json['createdAt'], '2024-01-02T03:04:05Z');
      assert.equal(json['ttl'], '1.500s');
      assert.equal(json['optInt64'], '9007199254740993');
      assert.equal(json['optString'], 's');
      assert.equal(json['optBool'], true);
      assert.deepEqual(json['extra'], { a: 1, b: ['x'] });
      assert.equal(json['updateMask'], 'userName,page.index');
      assert.equal(json['fDouble'], 'NaN');
      assert.equal(json['fFloat'], '-Infinity');
    });
  });

  describe('fromProtoJson', () => {
    it('should accept JSON names and proto names', () => {
      assert.equal(fromProtoJson(Sub, { user_name: 'a' })['userName'], 'a');
      assert.equal(fromProtoJson(Sub, { userName: 'b' })['userName'], 'b');
      assert.equal(fromProtoJson(AllTypes, { f_int64: '7', sub: { user_name: 'n' } })['fInt64'], '7');
    });

    it('should accept enums by name or number and 64-bit values as strings or numbers', () => {
      const c = fromProtoJson(AllTypes, { color: 1, colors: ['COLOR_GREEN', 2], fInt64: 42, fUint64: '18446744073709551615' });
      assert.equal(c['color'], 'COLOR_RED');
      assert.deepEqual(c['colors'], ['COLOR_GREEN', 'COLOR_GREEN']);
      assert.equal(c['fInt64'], '42');
      assert.equal(c['fUint64'], '18446744073709551615');
    });

    it('should read well-known types from their JSON forms', () => {
      const c = fromProtoJson(AllTypes, {
        createdAt: '2024-01-02T03:04:05.5Z',
        ttl: '1.5s',
        optInt64: '-5',
        optBool: true,
        extra: { a: 1, b: [null, 'x'] },
        updateMask: 'userName,page.index',
        fDouble: 'Infinity',
      });
      assert.deepEqual(c['createdAt'], { seconds: '1704164645', nanos: 500000000 });
      assert.deepEqual(c['ttl'], { seconds: '1', nanos: 500000000 });
      assert.deepEqual(c['optInt64'], { value: '-5' });
      assert.deepEqual(c['optBool'], { value: true });
      assert.deepEqual(c['updateMask'], { paths: ['user_name', 'page.index'] });
      assert.equal(c['fDouble'], Number.POSITIVE_INFINITY);
      const extra = c['extra'] as { fields: Record<string, unknown> };
      assert.deepEqual(extra.fields['a'], { numberValue: 1 });
    });

    it('should ignore unknown fields', () => {
      assert.deepEqual(fromProtoJson(Sub, { nope: 1, userName: 'x' }), { userName: 'x', count: '0', color: 'COLOR_UNSPECIFIED' });
    });

    it('should reject bad values with 400 CODEC naming the field', () => {
      const e = codecFailure(() => fromProtoJson(AllTypes, { fInt32: 'abc' }));
      assert.match(e.message, /^body unmarshal: AllTypes\.fInt32: /);
      codecFailure(() => fromProtoJson(AllTypes, { fInt64: '9223372036854775808' }));
      codecFailure(() => fromProtoJson(AllTypes, { fUint32: -1 }));
      codecFailure(() => fromProtoJson(AllTypes, { createdAt: 'yesterday' }));
      codecFailure(() => fromProtoJson(AllTypes, { subs: 3 }));
      codecFailure(() => fromProtoJson(AllTypes, null));
      codecFailure(() => fromProtoJson(AllTypes, [1]));
    });
  });
});
