import { status as GrpcStatus } from '@grpc/grpc-js';
import { join } from 'node:path';
import { bundledIncludeDir, ProtoLoader } from '../../proto/index.js';
/** grpc.health.v1 (the standard gRPC health protocol), from the proto shipped with kratos-ts. */
export const healthRoot = new ProtoLoader().loadSync(join(bundledIncludeDir(), 'grpc/health/v1/health.proto'));
export const HEALTH_SERVICE = 'grpc.health.v1.Health';
const Req = healthRoot.lookupType('grpc.health.v1.HealthCheckRequest');
const Res = healthRoot.lookupType('grpc.health.v1.HealthCheckResponse');
const encodeRes = (status) => Buffer.from(Res.encode(Res.fromObject({ status })).finish());
const decodeReq = (b) => Req.toObject(Req.decode(b), { defaults: true });
/**
 * The health service (§13): '' and every registered service report SERVING while the server serves
 * and NOT_SERVING once it starts draining; Watch streams each change.
 */
export class HealthService {
    #status = new Map();
    #watchers = new Set();
    /** Sets the status of `service` ('' is the whole server) and tells its watchers. */
    set(service, status) {
        this.#status.set(service, status);
        for (const w of this.#watchers)
            if (w.service === service)
                w.call.write(status);
    }
    /** Sets every known service at once. */
    setAll(status) {
        for (const s of this.#status.keys())
            this.set(s, status);
    }
    get(service) {
        return this.#status.get(service);
    }
    /** The grpc-js service to add to the server. */
    raw() {
        const def = (name, responseStream) => ({
            path: `/${HEALTH_SERVICE}/${name}`,
            requestStream: false,
            responseStream,
            requestSerialize: (o) => Buffer.from(Req.encode(Req.fromObject(o)).finish()),
            requestDeserialize: decodeReq,
            responseSerialize: encodeRes,
            responseDeserialize: (b) => String(Res.toObject(Res.decode(b), { enums: String })['status']),
            originalName: name,
        });
        return {
            definition: { Check: def('Check', false), Watch: def('Watch', true) },
            implementation: {
                Check: (call, cb) => {
                    const s = this.#status.get(call.request.service);
                    if (s === undefined)
                        cb({ code: GrpcStatus.NOT_FOUND, details: `unknown service ${call.request.service}` });
                    else
                        cb(null, s);
                },
                Watch: (call) => {
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
    close() {
        for (const w of this.#watchers)
            w.call.end();
        this.#watchers.clear();
    }
}
