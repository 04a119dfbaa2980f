export {
  KratosError,
  newError,
  fromError,
  toKratosError,
  code,
  reason,
  UNKNOWN_CODE,
  UNKNOWN_REASON,
  UNKNOWN_MESSAGE,
} from './kratos-error.js';
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
