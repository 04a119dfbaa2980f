import { decodeForm } from './form-decode.js';
import { encodeForm } from './form-encode.js';
import { isUnsafeKey } from './safe-keys.js';
import { bodyText } from './text.js';
/** Untyped values flatten to `a.b=1`; lists repeat their key; nulls and empty strings are left out. */
function appendPlain(out, key, value) {
    if (value === null || value === undefined || value === '')
        return;
    if (Array.isArray(value)) {
        for (const item of value)
            appendPlain(out, key, item);
    }
    else if (value instanceof Uint8Array) {
        out.append(key, Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64url'));
    }
    else if (value instanceof Date) {
        out.append(key, value.toISOString());
    }
    else if (typeof value === 'object') {
        for (const [k, v] of Object.entries(value))
            if (!isUnsafeKey(k))
                appendPlain(out, key === '' ? k : `${key}.${k}`, v);
    }
    else {
        out.append(key, String(value));
    }
}
/** `application/x-www-form-urlencoded`, with Kratos' proto field mapping (§3) for messages. */
export class FormCodec {
    name = 'x-www-form-urlencoded';
    contentType = 'application/x-www-form-urlencoded';
    marshal(value, type) {
        if (type !== undefined)
            return Buffer.from(encodeForm(type, (value ?? {})).toString(), 'utf8');
        const out = new URLSearchParams();
        appendPlain(out, '', value);
        return Buffer.from(out.toString(), 'utf8');
    }
    unmarshal(data, type) {
        const params = new URLSearchParams(bodyText(data));
        if (type !== undefined)
            return decodeForm(type, params);
        const out = {};
        for (const [key, value] of params) {
            if (isUnsafeKey(key))
                continue;
            // hasOwn, not `out[key]`: names like 'toString' would otherwise find Object.prototype's.
            const previous = Object.hasOwn(out, key) ? out[key] : undefined;
            if (previous === undefined)
                out[key] = value;
            else if (Array.isArray(previous))
                previous.push(value);
            else
                out[key] = [previous, value];
        }
        return out;
    }
}
