import { decodeForm, setFieldPath, toCanonical, toProtoJson } from '../../encoding/index.js';
import { FrameworkError } from '../../errors/index.js';
import { unsupported } from './body.js';
function camel(path) {
    return path.split('.').map((p) => p.replace(/_([a-z0-9])/g, (_m, c) => c.toUpperCase()));
}
/** The field at a (proto-named) dotted path of `type`; a coded error names the rpc when it does not exist. */
function fieldAt(type, path, op) {
    const names = camel(path);
    let t = type;
    let field;
    for (const n of names) {
        field = t?.fields[n];
        if (field === undefined)
            throw new FrameworkError('KRATOS_ERR_PROTO_BINDING', `${op}: field '${path}' does not exist in ${type.fullName.slice(1)}`);
        field.resolve();
        t = field.resolvedType instanceof Object && 'fields' in field.resolvedType ? field.resolvedType : undefined;
    }
    return { names, field: field };
}
function setPath(target, names, value) {
    let cur = target;
    for (const n of names.slice(0, -1)) {
        const next = cur[n];
        cur = (cur[n] = typeof next === 'object' && next !== null ? next : {});
    }
    cur[names[names.length - 1]] = value;
}
function messageType(field) {
    const t = field.resolvedType;
    return t !== null && 'fields' in t ? t : undefined;
}
/**
 * Binds a request for one google.api.http rule (§3): the body (`*` or a field), then query
 * parameters, then path variables, later winning; the result is a canonical request message.
 */
function binder(type, rule, op) {
    const body = rule.body === undefined || rule.body === '*' ? undefined : fieldAt(type, rule.body, op);
    const bodyType = body === undefined ? undefined : messageType(body.field);
    return (raw) => {
        let req = {};
        if (rule.body !== undefined && raw.body.length > 0) {
            if (raw.codec === undefined)
                throw unsupported(raw.contentType);
            if (body === undefined)
                req = raw.codec.unmarshal(raw.body, type);
            else
                setPath(req, body.names, raw.codec.unmarshal(raw.body, bodyType));
        }
        if (raw.query !== '')
            decodeForm(type, new URLSearchParams(raw.query), req);
        for (const [field, value] of Object.entries(rule.template.fields(raw.params)))
            setFieldPath(type, req, field, value);
        return toCanonical(type, type.fromObject(req));
    };
}
// A repeated or map response_body is no message of its own: send its proto JSON form.
function replyField(names, field) {
    const type = messageType(field);
    if (!field.repeated && !field.map)
        return { type, field: names };
    const one = (v) => (type === undefined ? v : toProtoJson(type, v));
    const toPlain = field.map
        ? (v) => Object.fromEntries(Object.entries((v ?? {})).map(([k, x]) => [k, one(x)]))
        : (v) => (v ?? []).map(one);
    return { type: undefined, field: names, toPlain };
}
/** One HTTP route per google.api.http rule of a unary rpc, all on the same handler. */
export function protoRoutes(method, handler, onBindError) {
    if (method.requestStream || method.responseStream)
        return [];
    return method.http.map((rule) => {
        const rb = rule.responseBody === undefined ? undefined : fieldAt(method.responseType, rule.responseBody, method.operation);
        return {
            method: rule.method,
            path: rule.template.routerPath,
            operation: method.operation,
            handler,
            onBindError,
            bind: binder(method.requestType, rule, method.operation),
            reply: rb === undefined ? { type: method.responseType } : replyField(rb.names, rb.field),
        };
    });
}
