import { encodeForm, fromProtoJson, getFieldPath, toCanonical } from '../../encoding/index.js';
import { HttpClient } from './http-client.js';
function messageField(type, path) {
    let t = type;
    for (const p of path) {
        const f = t?.fields[p]?.resolve();
        const r = f?.resolvedType;
        t = r !== null && r !== undefined && 'fields' in r ? r : undefined;
    }
    return t;
}
function fieldAt(type, path) {
    const parent = messageField(type, path.slice(0, -1));
    return parent?.fields[path[path.length - 1]];
}
function without(value, paths) {
    const copy = structuredClone(value);
    for (const p of paths) {
        const parts = p.split('.');
        let cur = copy;
        for (const k of parts.slice(0, -1))
            cur = cur?.[k];
        if (cur !== undefined)
            delete cur[parts[parts.length - 1]];
    }
    return copy;
}
function pick(value, path) {
    let cur = value;
    for (const k of path.split('.'))
        cur = cur?.[k];
    return cur;
}
/**
 * A call following the rpc's first google.api.http rule (§3 client rules): path variables expanded
 * from the request (patterns such as `{name=shelves/*}` included, which Kratos v2 cannot expand), the
 * body as the rule says, and every other set field as query parameters.
 */
function ruleCall(client, m, rule) {
    const bodyPath = rule.body === undefined || rule.body === '*' ? undefined : rule.body;
    const bodyType = rule.body === '*' ? m.requestType : bodyPath === undefined ? undefined : messageField(m.requestType, bodyPath.split('.'));
    const rbPath = rule.responseBody?.split('.');
    const rbField = rbPath === undefined ? undefined : fieldAt(m.responseType, rbPath);
    // A repeated or map response_body arrives as plain proto JSON; each element is read with its type.
    const plural = rbField !== undefined && (rbField.repeated || rbField.map);
    const elementType = rbPath === undefined ? undefined : messageField(m.responseType, rbPath);
    const replyType = rbPath === undefined ? m.responseType : plural ? undefined : elementType;
    return async (request, options = {}) => {
        const req = toCanonical(m.requestType, m.requestType.fromObject(request));
        const path = rule.template.expand((f) => getFieldPath(req, f));
        const body = rule.body === '*' ? req : bodyPath === undefined ? undefined : pick(req, bodyPath);
        let query = '';
        if (rule.body !== '*') {
            const rest = without(req, [...rule.template.variables, ...(bodyPath === undefined ? [] : [bodyPath])]);
            query = encodeForm(m.requestType, rest).toString();
        }
        const reply = await client.invoke(rule.method, query === '' ? path : `${path}?${query}`, body, {
            operation: m.operation,
            requestType: bodyType,
            replyType,
            ...options,
        });
        if (rbPath === undefined)
            return (reply ?? toCanonical(m.responseType, {}));
        let value = reply;
        if (plural && elementType !== undefined) {
            const one = (x) => fromProtoJson(elementType, x);
            value = rbField?.map ? Object.fromEntries(Object.entries((reply ?? {})).map(([k, x]) => [k, one(x)])) : (reply ?? []).map(one);
        }
        const whole = {};
        let cur = whole;
        for (const k of rbPath.slice(0, -1))
            cur = (cur[k] = {});
        cur[rbPath[rbPath.length - 1]] = value;
        return toCanonical(m.responseType, m.responseType.fromObject(whole));
    };
}
/** An HTTP client for `service` whose methods follow the rpcs' annotations (lowerCamel names). */
export function createProtoHttpClient(service, options) {
    const client = new HttpClient(options);
    const out = { close: () => client.close() };
    for (const m of service.methods) {
        const rule = m.http[0];
        if (rule === undefined || m.requestStream || m.responseStream)
            continue;
        out[m.name.charAt(0).toLowerCase() + m.name.slice(1)] = ruleCall(client, m, rule);
    }
    return out;
}
