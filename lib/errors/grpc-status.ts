import protobuf from 'protobufjs';
import { fromGrpcCode, GrpcCode, toGrpcCode } from './grpc-codes.js';
import { findKratosError, KratosError, UNKNOWN_CODE, UNKNOWN_MESSAGE, UNKNOWN_REASON } from './kratos-error.js';
import { withInternalDetail } from './public-error.js';

/** The part of grpc-js Metadata this file needs, so errors do not depend on the transport. */
export interface MetadataLike {
  get(key: string): (string | Buffer)[];
}

/** What a failed gRPC call reports (grpc-js ServiceError and StatusObject both fit). */
export interface GrpcStatusLike {
  code?: number;
  details?: string;
  message?: string;
  metadata?: MetadataLike | null;
}

// google.rpc.Status and google.rpc.ErrorInfo, described inline: only their wire shape matters here.
const types = protobuf.Root.fromJSON(({
  nested: {
    google: {
      nested: {
        protobuf: { nested: { Any: { fields: { typeUrl: { type: 'string', id: 1 }, value: { type: 'bytes', id: 2 } } } } },
        rpc: {
          nested: {
            Status: {
              fields: {
                code: { type: 'int32', id: 1 },
                message: { type: 'string', id: 2 },
                details: { rule: 'repeated', type: 'google.protobuf.Any', id: 3 },
              },
            },
            ErrorInfo: {
              fields: {
                reason: { type: 'string', id: 1 },
                domain: { type: 'string', id: 2 },
                metadata: { keyType: 'string', type: 'string', id: 3 },
              },
            },
          },
        },
      },
    },
  },
}) as protobuf.INamespace);
const StatusType = types.lookupType('google.rpc.Status');
const ErrorInfoType = types.lookupType('google.rpc.ErrorInfo');
const ERROR_INFO_URL = 'type.googleapis.com/google.rpc.ErrorInfo';
export const STATUS_DETAILS_KEY = 'grpc-status-details-bin';

/**
 * The gRPC status for an error (docs/errors-and-metadata.md#on-the-wire): code from the HTTP code, details = message, and
 * `grpc-status-details-bin` carrying google.rpc.Status with an ErrorInfo{reason, metadata}.
 */
export function toGrpcStatus(err: unknown): { code: number; details: string; statusDetails: Buffer } {
  const e = findKratosError(err) ?? new KratosError(UNKNOWN_CODE, UNKNOWN_REASON, UNKNOWN_MESSAGE);
  const code = toGrpcCode(e.code);
  const info = ErrorInfoType.encode(ErrorInfoType.fromObject({ reason: e.reason, metadata: e.metadata })).finish();
  const status = StatusType.encode(
    StatusType.fromObject({ code, message: e.message, details: [{ typeUrl: ERROR_INFO_URL, value: info }] }),
  ).finish();
  return { code, details: e.message, statusDetails: Buffer.from(status) };
}

/** The Kratos error a gRPC failure carries (docs/errors-and-metadata.md#on-the-wire): reason and metadata from its ErrorInfo detail, if any. */
export function fromGrpcStatus(err: GrpcStatusLike): KratosError {
  const code = typeof err.code === 'number' ? err.code : GrpcCode.UNKNOWN;
  let reason = '';
  let metadata: Record<string, string> = {};
  const raw = err.metadata?.get(STATUS_DETAILS_KEY)[0];
  if (raw instanceof Buffer) {
    try {
      const status = StatusType.toObject(StatusType.decode(raw), { arrays: true }) as { details: { typeUrl: string; value: Uint8Array }[] };
      const detail = status.details.find((d) => d.typeUrl === ERROR_INFO_URL);
      if (detail !== undefined) {
        const info = ErrorInfoType.toObject(ErrorInfoType.decode(detail.value), { objects: true }) as { reason?: string; metadata?: Record<string, string> };
        reason = info.reason ?? '';
        metadata = { ...(info.metadata ?? {}) };
      }
    } catch {
      // Details we cannot read leave the error with its code and message only.
    }
  }
  const e = new KratosError(fromGrpcCode(code), reason, err.details ?? err.message ?? '', metadata, err);
  // Without an ErrorInfo the status did not come from a Kratos service: grpc-js' own (a connection
  // failure naming the peer) or a foreign server's; its text is not ours to pass on.
  return reason === '' ? withInternalDetail(e) : e;
}
