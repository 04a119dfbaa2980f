export { KratosError, newError, findKratosError, UNKNOWN_CODE, UNKNOWN_REASON, UNKNOWN_MESSAGE } from './kratos-error.js';
export { fromError, toKratosError, code, reason } from './from-error.js';
export { withInternalDetail, hasInternalDetail, publicError } from './public-error.js';
export { toGrpcStatus, fromGrpcStatus, STATUS_DETAILS_KEY } from './grpc-status.js';
export type { GrpcStatusLike, MetadataLike } from './grpc-status.js';
export type { Status } from './kratos-error.js';
export {
  badRequest,
  unauthorized,
  forbidden,
  notFound,
  conflict,
  tooManyRequests,
  clientClosed,
  internalServer,
  serviceUnavailable,
  gatewayTimeout,
  isBadRequest,
  isUnauthorized,
  isForbidden,
  isNotFound,
  isConflict,
  isTooManyRequests,
  isClientClosed,
  isInternalServer,
  isServiceUnavailable,
  isGatewayTimeout,
} from './helpers.js';
export { FRAMEWORK_ERRORS, FrameworkError } from './codes.js';
export type { FrameworkErrorCode } from './codes.js';
export { GrpcCode, toGrpcCode, fromGrpcCode } from './grpc-codes.js';
