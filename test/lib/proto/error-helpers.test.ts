import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FrameworkError, isNotFound, notFound } from '../../../lib/errors/index.js';
import { camelReason, loadErrors } from '../../../lib/proto/index.js';
import { repoPath } from '../../helpers/echo-service.js';

const file = repoPath('test/fixtures/proto/errors/reasons.proto');

describe('loadErrors', () => {
  it('should give typed is/error helpers per error enum value (§4)', () => {
    const errs = loadErrors(file, 'BOOK_NOT_FOUND', 'SHELF_FULL');
    const e = errs.errorBookNotFound('no book 7');
    assert.deepEqual(e.toJSON(), { code: 404, reason: 'BOOK_NOT_FOUND', message: 'no book 7', metadata: {} });
    assert.equal(errs.isBookNotFound(e), true);
    assert.equal(isNotFound(e), true);
    assert.equal(errs.isShelfFull(e), false);
    assert.equal(errs.errorShelfFull('full').code, 409);
    assert.equal(errs.isBookNotFound(notFound('OTHER', 'x')), false);
  });

  it('should fail at once for a reason the file does not declare', () => {
    assert.throws(() => loadErrors(file, 'NOPE'), (e) => FrameworkError.isFrameworkError(e) && e.code === 'KRATOS_ERR_PROTO_INVALID' && e.message.includes('BOOK_NOT_FOUND'));
  });
});

describe('camelReason', () => {
  it('should turn UPPER_SNAKE into PascalCase as Kratos does', () => {
    assert.equal(camelReason('USER_NOT_FOUND'), 'UserNotFound');
    assert.equal(camelReason('HTTP2_ERROR'), 'Http2Error');
  });
});
