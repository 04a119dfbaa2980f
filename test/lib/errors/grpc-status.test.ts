import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  fromError, fromGrpcCode, fromGrpcStatus, GrpcCode, KratosError, notFound, STATUS_DETAILS_KEY, toGrpcCode, toGrpcStatus,
} from '../../../lib/errors/index.js';

describe('toGrpcCode and fromGrpcCode', () => {
  it('should map HTTP to gRPC as the §4 table (plus 412 and 429)', () => {
    const table: [number, number][] = [
      [200, GrpcCode.OK], [400, GrpcCode.INVALID_ARGUMENT], [401, GrpcCode.UNAUTHENTICATED], [403, GrpcCode.PERMISSION_DENIED],
      [404, GrpcCode.NOT_FOUND], [409, GrpcCode.ABORTED], [412, GrpcCode.FAILED_PRECONDITION], [429, GrpcCode.RESOURCE_EXHAUSTED],
      [499, GrpcCode.CANCELLED], [500, GrpcCode.INTERNAL], [501, GrpcCode.UNIMPLEMENTED], [503, GrpcCode.UNAVAILABLE],
      [504, GrpcCode.DEADLINE_EXCEEDED], [422, GrpcCode.UNKNOWN], [418, GrpcCode.UNKNOWN],
    ];
    for (const [http, grpc] of table) assert.equal(toGrpcCode(http), grpc, `HTTP ${http}`);
  });

  it('should map gRPC to HTTP as the §4 table (FAILED_PRECONDITION -> 412)', () => {
    const table: [number, number][] = [
      [GrpcCode.OK, 200], [GrpcCode.CANCELLED, 499], [GrpcCode.UNKNOWN, 500], [GrpcCode.INVALID_ARGUMENT, 400],
      [GrpcCode.DEADLINE_EXCEEDED, 504], [GrpcCode.NOT_FOUND, 404], [GrpcCode.ALREADY_EXISTS, 409], [GrpcCode.PERMISSION_DENIED, 403],
      [GrpcCode.UNAUTHENTICATED, 401], [GrpcCode.RESOURCE_EXHAUSTED, 429], [GrpcCode.FAILED_PRECONDITION, 412], [GrpcCode.ABORTED, 409],
      [GrpcCode.OUT_OF_RANGE, 400], [GrpcCode.UNIMPLEMENTED, 501], [GrpcCode.INTERNAL, 500], [GrpcCode.UNAVAILABLE, 503],
      [GrpcCode.DATA_LOSS, 500], [99, 500],
    ];
    for (const [grpc, http] of table) assert.equal(fromGrpcCode(grpc), http, `gRPC ${grpc}`);
  });

  it('should round-trip every code of the table', () => {
    for (const http of [400, 401, 403, 404, 409, 412, 429, 499, 500, 501, 503, 504]) assert.equal(fromGrpcCode(toGrpcCode(http)), http);
  });
});

describe('toGrpcStatus and fromGrpcStatus', () => {
  const asMetadata = (bin: Buffer) => ({ get: (k: string) => (k === STATUS_DETAILS_KEY ? [bin] : []) });

  it('should carry reason and metadata in google.rpc.Status/ErrorInfo and restore them', () => {
    const s = toGrpcStatus(notFound('USER_NOT_FOUND', 'who?').withMetadata({ id: '1' }));
    assert.equal(s.code, GrpcCode.NOT_FOUND);
    assert.equal(s.details, 'who?');
    const back = fromGrpcStatus({ code: s.code, details: s.details, metadata: asMetadata(s.statusDetails) });
    assert.deepEqual(back.toJSON(), { code: 404, reason: 'USER_NOT_FOUND', message: 'who?', metadata: { id: '1' } });
    assert.ok(fromError({ code: s.code, details: s.details, metadata: asMetadata(s.statusDetails) }) instanceof KratosError);
  });

  it('should keep code and message when there are no details', () => {
    const e = fromGrpcStatus({ code: GrpcCode.UNAVAILABLE, details: 'down', metadata: { get: () => [] } });
    assert.deepEqual(e.toJSON(), { code: 503, reason: '', message: 'down', metadata: {} });
    const garbage = fromGrpcStatus({ code: GrpcCode.INTERNAL, details: 'x', metadata: asMetadata(Buffer.from([0xff, 0xff, 0xff])) });
    assert.equal(garbage.code, 500);
  });

  it('should not reveal the message of a non-Kratos error', () => {
    assert.doesNotMatch(toGrpcStatus(new Error('secret')).details, /secret/);
  });
});
