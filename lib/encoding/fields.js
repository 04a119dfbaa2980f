/**
 * The field a client names by its JSON name (`userName`), its proto name (`user_name`) or the
 * protobufjs name; undefined when the message has no such field.
 */
export function findField(type, name) {
    const direct = Object.hasOwn(type.fields, name) ? type.fields[name] : undefined;
    if (direct !== undefined)
        return direct;
    return type.fieldsArray.find((f) => f.jsonName === name || f.protoName === name);
}
/**
 * Splits `a.b`, `ids[]`, `m[k]`, `m[k].sub` into segments; brackets let map keys hold dots.
 * Undefined for keys with an unclosed bracket, which are ignored like unknown keys.
 */
export function splitKey(key) {
    const out = [];
    let i = 0;
    while (i < key.length) {
        if (key[i] === '[') {
            const end = key.indexOf(']', i + 1);
            if (end < 0)
                return undefined;
            out.push({ text: key.slice(i + 1, end), bracket: true });
            i = end + 1;
            if (key[i] === '.')
                i++;
            continue;
        }
        let end = i;
        while (end < key.length && key[end] !== '.' && key[end] !== '[')
            end++;
        out.push({ text: key.slice(i, end), bracket: false });
        i = key[end] === '.' ? end + 1 : end;
    }
    return out;
}
