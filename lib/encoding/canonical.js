import protobuf from 'protobufjs';
/**
 * How handlers see messages: 64-bit integers as decimal strings (no precision loss), enums as
 * names, every field present (unset messages null), bytes as Buffer, well-known types in their
 * message form (a Timestamp is `{ seconds: '1704164645', nanos: 0 }`).
 */
export const CANONICAL = Object.freeze({
    longs: String,
    enums: String,
    defaults: true,
    arrays: true,
    objects: true,
});
/**
 * The canonical object of a message, or of a plain object that may be partial, use numbers for
 * 64-bit fields or numbers for enums (`fromObject` normalises all of that first).
 */
export function toCanonical(type, message) {
    const msg = message instanceof protobuf.Message ? message : type.fromObject(message);
    return type.toObject(msg, CANONICAL);
}
