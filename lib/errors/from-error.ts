import { fromGrpcStatus, type GrpcStatusLike } from './grpc-status.js';
import { findKratosError, KratosError, UNKNOWN_CODE, UNKNOWN_MESSAGE, UNKNOWN_REASON } from './kratos-error.js';
import { withInternalDetail } from './public-error.js';

function isGrpcStatus(err: unknown): err is GrpcStatusLike {
  const e = err as GrpcStatusLike;
  return typeof e === 'object' && e !== null && Number.isInteger(e.code) && typeof e.metadata?.get === 'function';
}

/**
 * Any value as a Kratos error (Kratos `FromError`, docs/errors-and-metadata.md#errors): a Kratos error in the cause chain as it is,
 * a gRPC status with its ErrorInfo reason and metadata, anything else a 500 with the value's message
 * and no reason. undefined for undefined and null.
 */
export function fromError(err: unknown): KratosError | undefined {
  if (err === undefined || err === null) return undefined;
  const found = findKratosError(err);
  if (found !== undefined) return found;
  if (isGrpcStatus(err)) return fromGrpcStatus(err);
  const message = err instanceof Error ? err.message : String(err);
  return withInternalDetail(new KratosError(UNKNOWN_CODE, '', message, {}, err));
}

/**
 * What a server sends for `err`: the Kratos error it carries, or a 500 `UNKNOWN` that keeps the original
 * as its cause but does not show its message to clients.
 */
export function toKratosError(err: unknown): KratosError {
  return findKratosError(err) ?? new KratosError(UNKNOWN_CODE, UNKNOWN_REASON, UNKNOWN_MESSAGE, {}, err);
}

/** HTTP code of `err`: 200 for none, else as {@link fromError} sees it (Kratos `Code`). */
export function code(err: unknown): number {
  return fromError(err)?.code ?? 200;
}

/** Reason of `err`, '' when it has none (Kratos `Reason`). */
export function reason(err: unknown): string {
  return fromError(err)?.reason ?? '';
}
