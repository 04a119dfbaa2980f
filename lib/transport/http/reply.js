import protobuf from 'protobufjs';
/** Writes a complete response; `body` undefined writes none. */
export function writeReply(res, status, body, closing, head) {
    if (res.headersSent || res.writableEnded)
        return;
    res.statusCode = status;
    if (closing)
        res.setHeader('connection', 'close');
    if (body === undefined) {
        res.setHeader('content-length', 0);
        res.end();
        return;
    }
    res.setHeader('content-type', body.contentType);
    res.setHeader('content-length', body.bytes.length);
    res.end(head ? undefined : body.bytes);
}
// Kratos' errors.Status (§4), so an error reply can be proto-encoded for clients that accept only proto.
const StatusType = protobuf.Root.fromJSON({
    nested: {
        Status: {
            fields: { code: { type: 'int32', id: 1 }, reason: { type: 'string', id: 2 }, message: { type: 'string', id: 3 }, metadata: { keyType: 'string', type: 'string', id: 4 } },
        },
    },
}).lookupType('Status');
/** The Kratos error body in the client's codec, keys in wire order. */
export function errorBody(e, codec, json) {
    const status = { code: e.code, reason: e.reason, message: e.message, metadata: e.metadata };
    try {
        return { contentType: codec.contentType, bytes: codec.marshal(status, codec.name === 'proto' ? StatusType : undefined) };
    }
    catch {
        return { contentType: json.contentType, bytes: json.marshal(status) };
    }
}
/** A status code a response can carry; anything else becomes 500. */
export function httpStatus(code) {
    return Number.isInteger(code) && code >= 200 && code <= 599 ? code : 500;
}
/** The Kratos error body as JSON text. */
export function errorBodyText(e) {
    return JSON.stringify({ code: e.code, reason: e.reason, message: e.message, metadata: e.metadata });
}
