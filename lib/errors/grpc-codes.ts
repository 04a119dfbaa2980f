/** gRPC status codes (grpc/doc/statuscodes.md), so lib/errors needs no transport dependency. */
export const GrpcCode = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;

export type GrpcCode = (typeof GrpcCode)[keyof typeof GrpcCode];

const HTTP_TO_GRPC = new Map<number, GrpcCode>([
  [200, GrpcCode.OK],
  [400, GrpcCode.INVALID_ARGUMENT],
  [401, GrpcCode.UNAUTHENTICATED],
  [403, GrpcCode.PERMISSION_DENIED],
  [404, GrpcCode.NOT_FOUND],
  [409, GrpcCode.ABORTED],
  [412, GrpcCode.FAILED_PRECONDITION],
  [429, GrpcCode.RESOURCE_EXHAUSTED],
  [499, GrpcCode.CANCELLED],
  [500, GrpcCode.INTERNAL],
  [501, GrpcCode.UNIMPLEMENTED],
  [503, GrpcCode.UNAVAILABLE],
  [504, GrpcCode.DEADLINE_EXCEEDED],
]);

const GRPC_TO_HTTP = new Map<number, number>([
  [GrpcCode.OK, 200],
  [GrpcCode.CANCELLED, 499],
  [GrpcCode.UNKNOWN, 500],
  [GrpcCode.INVALID_ARGUMENT, 400],
  [GrpcCode.DEADLINE_EXCEEDED, 504],
  [GrpcCode.NOT_FOUND, 404],
  [GrpcCode.ALREADY_EXISTS, 409],
  [GrpcCode.PERMISSION_DENIED, 403],
  [GrpcCode.UNAUTHENTICATED, 401],
  [GrpcCode.RESOURCE_EXHAUSTED, 429],
  [GrpcCode.FAILED_PRECONDITION, 412],
  [GrpcCode.ABORTED, 409],
  [GrpcCode.OUT_OF_RANGE, 400],
  [GrpcCode.UNIMPLEMENTED, 501],
  [GrpcCode.INTERNAL, 500],
  [GrpcCode.UNAVAILABLE, 503],
  [GrpcCode.DATA_LOSS, 500],
]);

/** gRPC status for an HTTP code (docs/errors-and-metadata.md#http-and-grpc-codes table, plus 412 and 429); anything else is UNKNOWN. */
export function toGrpcCode(httpCode: number): GrpcCode {
  return HTTP_TO_GRPC.get(httpCode) ?? GrpcCode.UNKNOWN;
}

/** HTTP code for a gRPC status (docs/errors-and-metadata.md#http-and-grpc-codes table, with FAILED_PRECONDITION -> 412); anything else is 500. */
export function fromGrpcCode(grpcCode: number): number {
  return GRPC_TO_HTTP.get(grpcCode) ?? 500;
}
