import { codecError } from './errors.js';
import { wellKnownFromJson, wellKnownToJson } from './proto-json.js';
import { formatScalar, parseScalar } from './scalar.js';
const WRAPPERS = new Set(['Double', 'Float', 'Int64', 'UInt64', 'Int32', 'UInt32', 'Bool', 'String', 'Bytes'].map((n) => `.google.protobuf.${n}Value`));
/** Types whose JSON form is a plain string, so the text needs no JSON quoting. */
const STRING_FORMS = new Set(['Timestamp', 'Duration', 'FieldMask'].map((n) => `.google.protobuf.${n}`));
const DURATION_JSON = /^[-+]?\d+(\.\d+)?s$/;
const GO_DURATION_PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;
const UNIT_NANOS = {
    ns: 1n, us: 1000n, µs: 1000n, μs: 1000n, ms: 1000000n, s: 1000000000n, m: 60000000000n, h: 3600000000000n,
};
/** A Go duration (`1h2m3.5s`, which Kratos' form decoder accepts) as ProtoJSON seconds text. */
function goDurationToJson(raw) {
    const sign = raw.startsWith('-') ? -1n : 1n;
    const body = raw.replace(/^[-+]/, '');
    if (body === '0')
        return '0s';
    let nanos = 0n;
    GO_DURATION_PART.lastIndex = 0;
    while (GO_DURATION_PART.lastIndex < body.length) {
        const m = GO_DURATION_PART.exec(body);
        const unit = m === null ? undefined : UNIT_NANOS[m[2] ?? ''];
        if (m === null || unit === undefined)
            return undefined;
        const [whole = '0', frac = ''] = (m[1] ?? '').split('.');
        const fracDigits = frac.slice(0, 9).padEnd(9, '0');
        nanos += BigInt(whole === '' ? '0' : whole) * unit + (BigInt(fracDigits) * unit) / 1000000000n;
    }
    if (body === '')
        return undefined;
    nanos *= sign;
    const abs = nanos < 0n ? -nanos : nanos;
    const text = `${abs / 1000000000n}.${(abs % 1000000000n).toString().padStart(9, '0')}s`;
    return nanos < 0n ? `-${text}` : text;
}
function parseJsonText(raw, label) {
    try {
        return JSON.parse(raw);
    }
    catch (err) {
        throw codecError(`${label}: invalid JSON: ${err.message}`, err);
    }
}
/** True for google.protobuf.*Value wrappers, which travel as their bare scalar. */
export function isWrapper(type) {
    return WRAPPERS.has(type.fullName);
}
/**
 * A well-known-type value from its text form in a query or form body: Timestamp RFC 3339,
 * Duration `1.5s` (or Go syntax `1m30s`), wrappers as their scalar, FieldMask `a.b,c`,
 * Struct/ListValue/Any as JSON, Value as JSON or else as a plain string.
 */
export function parseWellKnownText(type, raw, label) {
    if (isWrapper(type)) {
        const valueField = type.fields['value'];
        // The scalar parser already yields the canonical value, so no ProtoJSON round trip is needed.
        return valueField === undefined ? {} : { value: parseScalar(valueField, raw, label) };
    }
    if (type.fullName === '.google.protobuf.Duration' && !DURATION_JSON.test(raw)) {
        return wellKnownFromJson(type, goDurationToJson(raw) ?? raw, label);
    }
    if (type.fullName === '.google.protobuf.FieldMask') {
        // Kratos reads masks written with proto names or JSON names, so normalise to proto names here.
        const paths = raw.split(',').map((p) => p.trim()).filter((p) => p !== '');
        return { paths: paths.map((p) => p.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)) };
    }
    if (STRING_FORMS.has(type.fullName))
        return wellKnownFromJson(type, raw, label);
    if (type.fullName === '.google.protobuf.Value') {
        let json = raw;
        try {
            json = JSON.parse(raw);
        }
        catch {
            // Kratos treats a Value that is not JSON as a string, so `?v=hello` works unquoted.
        }
        return wellKnownFromJson(type, json, label);
    }
    return wellKnownFromJson(type, parseJsonText(raw, label), label);
}
/** Text form of a well-known-type value (the inverse of {@link parseWellKnownText}). */
export function formatWellKnownText(type, value) {
    if (isWrapper(type)) {
        const valueField = type.fields['value'];
        return valueField === undefined ? '' : formatScalar(valueField, value['value'], true);
    }
    const json = wellKnownToJson(type, value);
    return typeof json === 'string' && STRING_FORMS.has(type.fullName) ? json : JSON.stringify(json);
}
