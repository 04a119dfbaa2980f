/** How messages look in handlers: protobufjs plain objects, 64-bit as strings, enums as names. */
export const MESSAGE_OBJECT = { longs: String, enums: String, defaults: true, arrays: true, objects: true };
/** The grpc-js definition of an rpc, (de)serialising with protobufjs reflection. */
export function methodDefinition(m) {
    const Req = m.requestType;
    const Res = m.responseType;
    return {
        path: m.operation,
        requestStream: m.requestStream,
        responseStream: m.responseStream,
        originalName: m.name,
        requestSerialize: (o) => Buffer.from(Req.encode(Req.fromObject(o)).finish()),
        requestDeserialize: (b) => Req.toObject(Req.decode(b), MESSAGE_OBJECT),
        responseSerialize: (o) => Buffer.from(Res.encode(Res.fromObject(o)).finish()),
        responseDeserialize: (b) => Res.toObject(Res.decode(b), MESSAGE_OBJECT),
    };
}
