import { FrameworkError } from '../errors/index.js';
import { fieldCheck } from './rule-fields.js';
import { RuleError } from './rule-scalars.js';
// protoc-gen-validate (validate/validate.proto) and protovalidate (buf/validate/validate.proto).
const PGV = '(validate.rules)';
const BUF = '(buf.validate.field)';
function merged(field, key) {
    let out;
    for (const o of (field.parsedOptions ?? [])) {
        const r = o[key];
        if (r !== undefined)
            out = deepMerge(out ?? {}, r);
    }
    return out;
}
function deepMerge(a, b) {
    const out = { ...a };
    for (const [k, v] of Object.entries(b)) {
        const cur = out[k];
        out[k] = typeof v === 'object' && v !== null && !Array.isArray(v) && typeof cur === 'object' && cur !== null ? deepMerge(cur, v) : v;
    }
    return out;
}
const option = (o, name) => o.options?.[name];
function fileOf(obj) {
    for (let o = obj; o !== null; o = o.parent)
        if (o.filename !== null && o.filename !== undefined)
            return o.filename;
    return '<unknown file>';
}
/** The boot error for a rule that cannot be honoured: file, message, field and why. */
export function ruleBootError(field, err) {
    const owner = field.parent === null ? '' : field.parent.fullName.replace(/^\./, '');
    return new FrameworkError('KRATOS_ERR_PROTO_RULE', `${fileOf(field)}: ${owner}.${field.name}: ${err.message}`, { cause: err });
}
/**
 * Validators of message types under both rule sets, one per type, built once: message-level
 * `disabled`/`ignored`, required oneofs, each field's rules, and nested messages recursively.
 */
class RuleCompiler {
    #cache = new Map();
    for(type) {
        const hit = this.#cache.get(type);
        if (hit !== undefined)
            return hit.building ? (v, p, o) => hit.check?.(v, p, o) : hit.check;
        const entry = { check: undefined, building: true };
        this.#cache.set(type, entry);
        entry.check = this.#build(type);
        entry.building = false;
        return entry.check;
    }
    #build(type) {
        if (option(type, '(validate.disabled)') === true || option(type, '(validate.ignored)') === true)
            return undefined;
        const fields = [];
        const nested = (t) => {
            const c = this.for(t);
            return c === undefined ? undefined : (v, p, o) => c(v, p, o);
        };
        for (const f of type.fieldsArray) {
            f.resolve();
            const pgv = merged(f, PGV);
            const buf = merged(f, BUF);
            const sub = f.resolvedType !== null && 'fields' in f.resolvedType ? this.for(f.resolvedType) : undefined;
            if (pgv === undefined && buf === undefined && sub === undefined)
                continue;
            try {
                for (const r of pgv !== undefined || buf !== undefined ? [pgv, buf] : [{}])
                    if (r !== undefined)
                        fields.push({ name: f.name, check: fieldCheck(f, r, nested), optional: f.partOf !== null });
            }
            catch (err) {
                if (err instanceof RuleError)
                    throw ruleBootError(f, err);
                throw err;
            }
        }
        const oneofs = type.oneofsArray.filter((o) => option(o, '(validate.required)') === true).map((o) => ({ name: o.name, members: o.fieldsArray.map((f) => f.name) }));
        if (fields.length === 0 && oneofs.length === 0)
            return undefined;
        return (req, prefix, out) => {
            const obj = (req ?? {});
            for (const o of oneofs) {
                if (!o.members.some((m) => obj[m] !== undefined && obj[m] !== null))
                    out.push({ field: prefix === '' ? o.name : `${prefix}.${o.name}`, message: 'value is required' });
            }
            for (const f of fields) {
                // An unset oneof member or proto3 optional field is not checked (PGV checks only what is set).
                if (f.optional && (obj[f.name] === undefined || obj[f.name] === null))
                    continue;
                f.check(obj[f.name], prefix === '' ? f.name : `${prefix}.${f.name}`, out);
            }
        };
    }
}
/**
 * A validator for the protoc-gen-validate and buf.validate rules declared on `type`'s fields, nested
 * messages included; undefined when the type declares none. Built once, at boot; a rule that cannot
 * be honoured (wrong type, untranslatable RE2 pattern) throws KRATOS_ERR_PROTO_RULE naming file,
 * message and field.
 */
export function protoRules(type) {
    const check = new RuleCompiler().for(type);
    if (check === undefined)
        return undefined;
    return (req, prefix = '') => {
        const out = [];
        check(req, prefix, out);
        return out;
    };
}
