import { codecError, errorMessage } from './errors.js';
import { fromProtoJson, toProtoJson } from './proto-json.js';
import { isUnsafeKey, mentionsUnsafeKey } from './safe-keys.js';
import { bodyText, checkDepth } from './text.js';
function dropUnsafeKeys(key, value) {
    return isUnsafeKey(key) ? undefined : value;
}
/** JSON.parse that never yields `__proto__`-style keys; the reviver only runs when one could be there. */
export function parseJson(text) {
    checkDepth(text);
    try {
        return mentionsUnsafeKey(text) ? JSON.parse(text, dropUnsafeKeys) : JSON.parse(text);
    }
    catch (err) {
        throw codecError(`body unmarshal: ${errorMessage(err)}`, err);
    }
}
/**
 * `application/json`. Messages use proto3 JSON with unpopulated fields emitted (Kratos'
 * EmitUnpopulated) and accept unknown fields; anything else is plain JSON.
 */
export class JsonCodec {
    name = 'json';
    contentType = 'application/json';
    marshal(value, type) {
        const json = type === undefined ? value : toProtoJson(type, value);
        // JSON.stringify(undefined) is undefined; an absent reply is sent as JSON null.
        return Buffer.from(JSON.stringify(json) ?? 'null', 'utf8');
    }
    unmarshal(data, type) {
        const parsed = parseJson(bodyText(data));
        return type === undefined ? parsed : fromProtoJson(type, parsed);
    }
}
