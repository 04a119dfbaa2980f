import { status as GrpcStatus, type ServerUnaryCall, type ServerWritableStream, type sendUnaryData } from '@grpc/grpc-js';
import { join } from 'node:path';
import type protobuf from 'protobufjs';
import { bundledIncludeDir, ProtoLoader } from '../../proto/index.js';
import type { RawService } from './grpc-server.js';

let root: protobuf.Root | undefined;

/**
 * grpc.health.v1 (the standard gRPC health protocol), from the proto shipped with kratos-ts; parsed
 * when a server first serves health, not when kratos-ts is imported (an HTTP-only app never needs it).
 */
export function healthRoot(): protobuf.Root {
  return (root ??= new ProtoLoader().loadSync(join(bundledIncludeDir(), 'grpc/health/v1/health.proto')));
}

export const HEALTH_SERVICE = 'grpc.health.v1.Health';
export type ServingStatus = 'SERVING' | 'NOT_SERVING' | 'SERVICE_UNKNOWN';

/**
 * The health service (docs/observability.md#health-and-readiness): '' and every registered service report SERVING while the server serves
 * and NOT_SERVING once it starts draining; Watch streams each change.
 */
export class HealthService {
  readonly #status = new Map<string, ServingStatus>();
  readonly #watchers = new Set<{ service: string; call: ServerWritableStream<{ service: string }, string> }>();

  /** Sets the status of `service` ('' is the whole server) and tells its watchers. */
  set(service: string, status: ServingStatus): void {
    this.#status.set(service, status);
    for (const w of this.#watchers) if (w.service === service) w.call.write(status);
  }

  /** Sets every known service at once. */
  setAll(status: ServingStatus): void {
    for (const s of this.#status.keys()) this.set(s, status);
  }

  get(service: string): ServingStatus | undefined {
    return this.#status.get(service);
  }

  /** The grpc-js service to add to the server. */
  raw(): RawService {
    const Req = healthRoot().lookupType('grpc.health.v1.HealthCheckRequest');
    const Res = healthRoot().lookupType('grpc.health.v1.HealthCheckResponse');
    const encodeRes = (status: string): Buffer => Buffer.from(Res.encode(Res.fromObject({ status })).finish());
    const decodeReq = (b: Buffer): { service: string } => Req.toObject(Req.decode(b), { defaults: true }) as { service: string };
    const def = (name: string, responseStream: boolean) => ({
      path: `/${HEALTH_SERVICE}/${name}`,
      requestStream: false,
      responseStream,
      requestSerialize: (o: { service: string }) => Buffer.from(Req.encode(Req.fromObject(o)).finish()),
      requestDeserialize: decodeReq,
      responseSerialize: encodeRes,
      responseDeserialize: (b: Buffer) => String(Res.toObject(Res.decode(b), { enums: String })['status']),
      originalName: name,
    });
    return {
      definition: { Check: def('Check', false), Watch: def('Watch', true) },
      implementation: {
        Check: (call: ServerUnaryCall<{ service: string }, string>, cb: sendUnaryData<string>) => {
          const s = this.#status.get(call.request.service);
          if (s === undefined) cb({ code: GrpcStatus.NOT_FOUND, details: `unknown service ${call.request.service}` });
          else cb(null, s);
        },
        Watch: (call: ServerWritableStream<{ service: string }, string>) => {
          const w = { service: call.request.service, call };
          this.#watchers.add(w);
          call.write(this.#status.get(w.service) ?? 'SERVICE_UNKNOWN');
          call.once('cancelled', () => this.#watchers.delete(w));
          call.once('close', () => this.#watchers.delete(w));
        },
      },
    };
  }

  /** Ends every Watch stream (the server is going away). */
  close(): void {
    for (const w of this.#watchers) w.call.end();
    this.#watchers.clear();
  }
}
