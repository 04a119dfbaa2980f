import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FrameworkError } from '../../../lib/errors/index.js';
import { getFieldPath, setFieldPath, toCanonical } from '../../../lib/encoding/index.js';
import { codecFailure, loadFixture } from './fixture.js';

const { AllTypes } = await loadFixture();

describe('field paths', () => {
  describe('setFieldPath', () => {
    it('should convert the text to the field type, creating nested messages', () => {
      const c = toCanonical(AllTypes, {});
      setFieldPath(AllTypes, c, 'f_int64', '18');
      setFieldPath(AllTypes, c, 'page.owner.userName', 'ann');
      setFieldPath(AllTypes, c, 'color', '1');
      setFieldPath(AllTypes, c, 'createdAt', '2024-01-02T03:04:05Z');
      setFieldPath(AllTypes, c, 'tags', 'only');
      assert.equal(c['fInt64'], '18');
      assert.equal(((c['page'] as Record<string, unknown>)['owner'] as Record<string, unknown>)['userName'], 'ann');
      assert.equal(c['color'], 'COLOR_RED');
      assert.deepEqual(c['createdAt'], { seconds: '1704164645', nanos: 0 });
      assert.deepEqual(c['tags'], ['only']);
    });

    it('should replace another member of the same oneof', () => {
      const c = toCanonical(AllTypes, { choiceText: 't' });
      setFieldPath(AllTypes, c, 'choiceSub.count', '2');
      assert.equal(Object.hasOwn(c, 'choiceText'), false);
      assert.equal((c['choiceSub'] as Record<string, unknown>)['count'], '2');
    });

    it('should throw KRATOS_ERR_OPTIONS_INVALID for paths the message does not have', () => {
      const c = toCanonical(AllTypes, {});
      for (const path of ['nope', 'page.nope', 'fInt32.x', 'page', 'counts', '__proto__.x', 'subs.count']) {
        assert.throws(
          () => setFieldPath(AllTypes, c, path, '1'),
          (err) => FrameworkError.isFrameworkError(err) && err.code === 'KRATOS_ERR_OPTIONS_INVALID',
          path,
        );
      }
    });

    it('should answer 400 CODEC for a value of the wrong type', () => {
      codecFailure(() => setFieldPath(AllTypes, toCanonical(AllTypes, {}), 'fInt32', 'abc'));
    });
  });

  describe('getFieldPath', () => {
    it('should read nested values as strings by JSON or proto names', () => {
      const c = toCanonical(AllTypes, { fInt64: '-5', fBool: true, page: { owner: { userName: 'o' } }, fBytes: Buffer.from([0xfb, 0xff]) });
      assert.equal(getFieldPath(c, 'fInt64'), '-5');
      assert.equal(getFieldPath(c, 'f_bool'), 'true');
      assert.equal(getFieldPath(c, 'page.owner.user_name'), 'o');
      assert.equal(getFieldPath(c, 'page.index'), '0');
      assert.equal(getFieldPath(c, 'fBytes'), '-_8');
    });

    it('should give undefined for unset, missing or non-scalar values', () => {
      const c = toCanonical(AllTypes, {});
      assert.equal(getFieldPath(c, 'sub.userName'), undefined);
      assert.equal(getFieldPath(c, 'nope'), undefined);
      assert.equal(getFieldPath(c, 'ids'), undefined);
      assert.equal(getFieldPath(c, '__proto__'), undefined);
    });
  });
});
