const KINDS = ['value', 'proto', 'undefined', 'null', 'error'];
const HEADER = 9;
// Plain objects as JSON, with what JSON cannot hold kept: Buffers and bigints round-trip.
function replacer(key, v) {
    const raw = this[key];
    if (Buffer.isBuffer(raw) || raw instanceof Uint8Array)
        return { $bytes: Buffer.from(raw).toString('base64') };
    if (typeof v === 'bigint')
        return { $bigint: v.toString() };
    return v;
}
function reviver(_key, v) {
    if (typeof v === 'object' && v !== null) {
        const o = v;
        if (typeof o['$bytes'] === 'string' && Object.keys(o).length === 1)
            return Buffer.from(o['$bytes'], 'base64');
        if (typeof o['$bigint'] === 'string' && Object.keys(o).length === 1)
            return BigInt(o['$bigint']);
    }
    return v;
}
// Messages in handlers are protobufjs plain objects: 64-bit as strings, enums as names (MESSAGE_OBJECT).
const AS_OBJECT = { longs: String, enums: String, defaults: true, arrays: true, objects: true };
/** One byte of kind, eight of fresh-until time, then the payload (JSON, or the message's wire bytes). */
export function encodeEntry(entry, type) {
    let kind = entry.kind;
    let payload = Buffer.alloc(0);
    if (entry.kind === 'value') {
        if (type !== undefined) {
            kind = 'proto';
            payload = Buffer.from(type.encode(type.fromObject(entry.value)).finish());
        }
        else
            payload = Buffer.from(JSON.stringify(entry.value, replacer), 'utf8');
    }
    else if (entry.kind === 'error')
        payload = Buffer.from(JSON.stringify(entry.error), 'utf8');
    const out = Buffer.allocUnsafe(HEADER + payload.length);
    out.writeUInt8(KINDS.indexOf(kind), 0);
    out.writeDoubleBE(entry.freshUntil, 1);
    payload.copy(out, HEADER);
    return out;
}
/** The entry in `bytes`, or undefined for bytes this layer did not write. */
export function decodeEntry(bytes, type) {
    if (bytes.length < HEADER)
        return undefined;
    const kind = KINDS[bytes.readUInt8(0)];
    const freshUntil = bytes.readDoubleBE(1);
    const payload = bytes.subarray(HEADER);
    switch (kind) {
        case 'value':
            return { kind: 'value', freshUntil, value: JSON.parse(payload.toString('utf8'), reviver) };
        case 'proto':
            return type === undefined ? undefined : { kind: 'value', freshUntil, value: type.toObject(type.decode(payload), AS_OBJECT) };
        case 'undefined':
        case 'null':
            return { kind, freshUntil };
        case 'error':
            return { kind, freshUntil, error: JSON.parse(payload.toString('utf8')) };
        default:
            return undefined;
    }
}
