import { parse, stringify } from 'yaml';
import { codecError, errorMessage } from './errors.js';
import { fromProtoJson, toProtoJson } from './proto-json.js';
import { mentionsUnsafeKey, stripUnsafeKeys } from './safe-keys.js';
import { bodyText } from './text.js';
/**
 * YAML integers are exact as bigint; ProtoJSON takes big ones as decimal strings. Safe ones stay
 * numbers, because an enum given as the string '2' would be read as an (unknown) enum name.
 */
function bigintsToStrings(value) {
    if (typeof value === 'bigint') {
        const n = Number(value);
        return Number.isSafeInteger(n) ? n : value.toString();
    }
    if (Array.isArray(value))
        return value.map(bigintsToStrings);
    if (value === null || typeof value !== 'object')
        return value;
    const out = {};
    for (const [k, v] of Object.entries(value))
        out[k] = bigintsToStrings(v);
    return out;
}
/** `application/yaml` (also 'x-yaml'); messages go through proto3 JSON like the json codec. */
export class YamlCodec {
    name = 'yaml';
    contentType = 'application/yaml';
    marshal(value, type) {
        const json = type === undefined ? value : toProtoJson(type, value);
        return Buffer.from(stringify(json ?? null), 'utf8');
    }
    unmarshal(data, type) {
        const text = bodyText(data);
        let parsed;
        try {
            // With a type, read integers as bigint so 64-bit fields above 2^53 are not rounded.
            parsed = parse(text, { intAsBigInt: type !== undefined });
        }
        catch (err) {
            throw codecError(`body unmarshal: ${errorMessage(err)}`, err);
        }
        if (mentionsUnsafeKey(text))
            parsed = stripUnsafeKeys(parsed);
        return type === undefined ? parsed : fromProtoJson(type, bigintsToStrings(parsed));
    }
}
