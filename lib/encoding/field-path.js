import { FrameworkError } from '../errors/index.js';
import { toCanonical } from './canonical.js';
import { findField } from './fields.js';
import { isWellKnown, messageTypeOf } from './proto-json.js';
import { isUnsafeKey } from './safe-keys.js';
import { parseScalar } from './scalar.js';
import { parseWellKnownText } from './wkt-text.js';
function invalidPath(type, path, why) {
    return new FrameworkError('KRATOS_ERR_OPTIONS_INVALID', `field path "${path}" on ${type.fullName.replace(/^\./, '')}: ${why}`);
}
/**
 * Set a value at a dotted field path on a canonical object, converting the string to the field's
 * type (used for path variables like {user.id}); unknown path -> FrameworkError
 * KRATOS_ERR_OPTIONS_INVALID. A value that does not convert is the client's fault: 400 CODEC.
 * Missing intermediate messages are created; a repeated leaf gets a one-element list.
 */
export function setFieldPath(type, target, path, raw) {
    const names = path.split('.');
    let msgType = type;
    let obj = target;
    for (let i = 0; i < names.length; i++) {
        const name = names[i] ?? '';
        const field = isUnsafeKey(name) ? undefined : findField(msgType, name);
        if (field === undefined)
            throw invalidPath(type, path, `no field "${name}"`);
        if (field.map)
            throw invalidPath(type, path, `"${name}" is a map`);
        const sub = messageTypeOf(field);
        const isPlainMessage = sub !== undefined && !isWellKnown(sub);
        if (i === names.length - 1) {
            if (isPlainMessage)
                throw invalidPath(type, path, `"${name}" is a message, not a value`);
            const value = sub === undefined ? parseScalar(field, raw, path) : parseWellKnownText(sub, raw, path);
            if (field.partOf !== null)
                for (const member of field.partOf.fieldsArray)
                    delete obj[member.name];
            obj[field.name] = field.repeated ? [value] : value;
            return;
        }
        if (!isPlainMessage || field.repeated)
            throw invalidPath(type, path, `"${name}" is not a singular message`);
        if (field.partOf !== null) {
            for (const member of field.partOf.fieldsArray)
                if (member !== field)
                    delete obj[member.name];
        }
        const current = obj[field.name];
        obj = current !== null && typeof current === 'object' ? current : (obj[field.name] = toCanonical(sub, {}));
        msgType = sub;
    }
}
function snakeToCamel(name) {
    return name.replace(/_([a-z0-9])/g, (_m, c) => c.toUpperCase());
}
/**
 * Read a value at a dotted field path as a string (for URL template expansion); undefined when
 * unset. Path segments may be JSON or proto names. Bytes come out URL-safe base64; messages and
 * lists have no single string form, so they read as undefined.
 */
export function getFieldPath(value, path) {
    let current = value;
    for (const name of path.split('.')) {
        if (current === null || typeof current !== 'object' || isUnsafeKey(name))
            return undefined;
        const obj = current;
        const key = Object.hasOwn(obj, name) ? name : snakeToCamel(name);
        current = Object.hasOwn(obj, key) ? obj[key] : undefined;
    }
    if (current instanceof Uint8Array)
        return Buffer.from(current.buffer, current.byteOffset, current.byteLength).toString('base64url');
    if (typeof current === 'string')
        return current;
    if (typeof current === 'number' || typeof current === 'boolean' || typeof current === 'bigint')
        return String(current);
    return undefined;
}
