import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as errors from '../../../lib/errors/index.js';
import { code, fromError, KratosError, newError, notFound, reason, toKratosError, UNKNOWN_REASON } from '../../../lib/errors/index.js';

describe('KratosError', () => {
  it('should serialise as {code, reason, message, metadata} in that order', () => {
    const e = notFound('USER_NOT_FOUND', 'no user').withMetadata({ id: '1' });
    assert.equal(JSON.stringify(e), '{"code":404,"reason":"USER_NOT_FOUND","message":"no user","metadata":{"id":"1"}}');
  });

  describe('.is', () => {
    it('should hold for the same code and reason whatever the message', () => {
      const a = newError(404, 'USER_NOT_FOUND', 'a');
      assert.equal(a.is(newError(404, 'USER_NOT_FOUND', 'b')), true);
      assert.equal(a.is(newError(404, 'OTHER', 'a')), false);
      assert.equal(a.is(newError(400, 'USER_NOT_FOUND', 'a')), false);
      assert.equal(a.is(new Error('x', { cause: newError(404, 'USER_NOT_FOUND', 'c') })), true);
    });
  });

  describe('.clone, .withMetadata, .withCause', () => {
    it('should return copies with their own metadata', () => {
      const a = notFound('X', 'y').withMetadata({ k: 'v' });
      const b = a.clone();
      b.metadata['k'] = 'changed';
      assert.equal(a.metadata['k'], 'v');
      const cause = new Error('c');
      const c = a.withCause(cause);
      assert.equal(c.cause, cause);
      assert.notEqual(c, a);
      assert.equal(a.cause, undefined);
    });
  });

  describe('.isKratosError', () => {
    it('should recognise an error from another copy of the package by its brand', () => {
      const foreign = Object.assign(new Error('m'), { [Symbol.for('kratos-ts/KratosError')]: true, code: 409, reason: 'R', metadata: {} });
      assert.equal(KratosError.isKratosError(foreign), true);
      assert.equal(code(foreign), 409);
      assert.equal(reason(foreign), 'R');
      assert.equal(errors.isConflict(foreign), true);
      assert.equal(KratosError.isKratosError({ code: 409 }), false);
    });
  });
});

describe('the named helpers', () => {
  const table: [string, number][] = [
    ['badRequest', 400], ['unauthorized', 401], ['forbidden', 403], ['notFound', 404], ['conflict', 409],
    ['tooManyRequests', 429], ['clientClosed', 499], ['internalServer', 500], ['serviceUnavailable', 503], ['gatewayTimeout', 504],
  ];
  for (const [name, status] of table) {
    it(`should make ${name} a ${status} that only is${name[0]!.toUpperCase()}${name.slice(1)} recognises`, () => {
      const make = (errors as unknown as Record<string, (r: string, m: string) => KratosError>)[name]!;
      const e = make('R', 'm');
      assert.equal(e.code, status);
      assert.equal(e.reason, 'R');
      for (const [other, otherStatus] of table) {
        const check = (errors as unknown as Record<string, (e: unknown) => boolean>)[`is${other[0]!.toUpperCase()}${other.slice(1)}`]!;
        assert.equal(check(e), otherStatus === status, `${other} on ${name}`);
      }
    });
  }
});

describe('fromError', () => {
  it('should find a Kratos error through a cause chain', () => {
    const inner = notFound('X', 'y');
    assert.equal(fromError(new Error('outer', { cause: inner })), inner);
  });

  it('should make anything else a 500 with its message and no reason', () => {
    const e = fromError(new TypeError('boom'));
    assert.equal(e?.code, 500);
    assert.equal(e?.reason, '');
    assert.equal(e?.message, 'boom');
    assert.equal(fromError('text')?.message, 'text');
    assert.equal(fromError(undefined), undefined);
    assert.equal(code(undefined), 200);
    assert.equal(reason(null), '');
  });
});

describe('toKratosError', () => {
  it('should hide a non-Kratos error behind 500 UNKNOWN while keeping it as the cause', () => {
    const original = new TypeError('secret');
    const e = toKratosError(original);
    assert.equal(e.code, 500);
    assert.equal(e.reason, UNKNOWN_REASON);
    assert.equal(e.cause, original);
    assert.doesNotMatch(JSON.stringify(e), /secret/);
  });
});
