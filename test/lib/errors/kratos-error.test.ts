import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  code, fromError, isNotFound, KratosError, newError, notFound, reason, toKratosError, UNKNOWN_REASON,
} from '../../../lib/errors/index.js';

describe('KratosError', () => {
  it('should serialise as {code, reason, message, metadata} in that order', () => {
    const e = notFound('USER_NOT_FOUND', 'no user').withMetadata({ id: '1' });
    assert.equal(JSON.stringify(e), '{"code":404,"reason":"USER_NOT_FOUND","message":"no user","metadata":{"id":"1"}}');
  });

  it('should be the same error as another with the same code and reason', () => {
    const a = newError(404, 'USER_NOT_FOUND', 'a');
    assert.equal(a.is(newError(404, 'USER_NOT_FOUND', 'b')), true);
    assert.equal(a.is(newError(404, 'OTHER', 'a')), false);
    assert.equal(isNotFound(a), true);
  });

  it('should be found through a cause chain and recognised across package copies', () => {
    const inner = notFound('X', 'y');
    assert.equal(fromError(new Error('outer', { cause: inner })), inner);
    const foreign = Object.assign(new Error('m'), { [Symbol.for('kratos-ts/KratosError')]: true, code: 409, reason: 'R', metadata: {} });
    assert.equal(KratosError.isKratosError(foreign), true);
    assert.equal(code(foreign), 409);
    assert.equal(reason(foreign), 'R');
  });

  it('should turn anything else into a 500 that hides the original message', () => {
    const e = toKratosError(new TypeError('secret'));
    assert.equal(e.code, 500);
    assert.equal(e.reason, UNKNOWN_REASON);
    assert.doesNotMatch(JSON.stringify(e), /secret/);
    assert.equal(code(undefined), 200);
  });

  it('should copy metadata on clone, withMetadata and withCause', () => {
    const a = notFound('X', 'y').withMetadata({ k: 'v' });
    const b = a.clone();
    b.metadata['k'] = 'changed';
    assert.equal(a.metadata['k'], 'v');
    const cause = new Error('c');
    assert.equal(a.withCause(cause).cause, cause);
  });
});
