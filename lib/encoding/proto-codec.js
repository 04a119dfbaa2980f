import protobuf from 'protobufjs';
import { KratosError } from '../errors/index.js';
import { toCanonical } from './canonical.js';
import { CODEC_REASON, codecError, errorMessage } from './errors.js';
function needType() {
    return new KratosError(415, CODEC_REASON, 'proto codec needs a message type');
}
/**
 * Protobuf binary, `application/x-protobuf`; registered as 'proto' (Kratos' `application/proto`)
 * with the aliases 'x-protobuf' and 'protobuf'. Only messages can be written or read.
 */
export class ProtoCodec {
    name = 'proto';
    contentType = 'application/x-protobuf';
    marshal(value, type) {
        if (type === undefined)
            throw needType();
        const message = value instanceof protobuf.Message ? value : type.fromObject((value ?? {}));
        const bytes = type.encode(message).finish();
        return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    unmarshal(data, type) {
        if (type === undefined)
            throw needType();
        let message;
        try {
            message = type.decode(data);
        }
        catch (err) {
            throw codecError(`body unmarshal: ${errorMessage(err)}`, err);
        }
        return toCanonical(type, message);
    }
}
