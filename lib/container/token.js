/** Creates a unique typed token; `name` appears in error messages. */
export function token(name) {
    return Symbol(name);
}
/** A readable name for error messages and logs. */
export function tokenName(t) {
    if (typeof t === 'function')
        return t.name || '<anonymous class>';
    if (typeof t === 'symbol')
        return t.description ?? t.toString();
    if (typeof t === 'string')
        return `'${t}'`;
    return String(t);
}
