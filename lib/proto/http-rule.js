import { FrameworkError } from '../errors/index.js';
import { parsePathTemplate, toCamelPath } from './path-template.js';
const VERBS = ['get', 'put', 'post', 'delete', 'patch'];
function fieldExists(type, camelPath) {
    let t = type;
    for (const part of camelPath.split('.')) {
        const f = t?.fields[part];
        if (f === undefined)
            return false;
        f.resolve();
        t = f.resolvedType !== null && 'fields' in f.resolvedType ? f.resolvedType : undefined;
    }
    return true;
}
function verbAndPath(raw) {
    let method;
    let path;
    for (const v of VERBS) {
        if (typeof raw[v] === 'string') {
            method = v.toUpperCase();
            path = raw[v];
        }
    }
    const custom = raw['custom'];
    if (method === undefined && custom !== undefined) {
        method = (custom.kind ?? '').toUpperCase();
        path = custom.path;
    }
    return { method, path };
}
function rawRules(method) {
    const parsed = (method.parsedOptions ?? []);
    const raw = parsed.find((o) => '(google.api.http)' in o)?.['(google.api.http)'];
    if (raw === undefined)
        return [];
    const extra = raw.additional_bindings;
    return [raw, ...(extra === undefined ? [] : Array.isArray(extra) ? extra : [extra])];
}
/** The google.api.http bindings of `method` as written, unchecked (what `proto lint` inspects). */
export function readRawHttpRules(method) {
    return rawRules(method).map((raw) => {
        const { method: verb, path } = verbAndPath(raw);
        return { method: verb ?? '', path: path ?? '', body: typeof raw['body'] === 'string' && raw['body'] !== '' ? raw['body'] : undefined };
    });
}
function readOne(raw, requestType, where) {
    const { method, path } = verbAndPath(raw);
    if (method === undefined || method === '' || path === undefined || path === '') {
        throw new FrameworkError('KRATOS_ERR_PROTO_BINDING', `${where}: google.api.http rule has no method and path`);
    }
    const template = parsePathTemplate(path);
    for (const v of template.variables) {
        if (!fieldExists(requestType, v)) {
            throw new FrameworkError('KRATOS_ERR_PROTO_BINDING', `${where}: path variable '${v}' of '${path}' is not a field of ${requestType.fullName.slice(1)}`);
        }
    }
    const rawBody = typeof raw['body'] === 'string' && raw['body'] !== '' ? raw['body'] : undefined;
    const body = rawBody === undefined || rawBody === '*' ? rawBody : toCamelPath(rawBody);
    if (body !== undefined && body !== '*' && !fieldExists(requestType, body)) {
        throw new FrameworkError('KRATOS_ERR_PROTO_BINDING', `${where}: body '${rawBody}' is not a field of ${requestType.fullName.slice(1)}`);
    }
    const rb = (raw['response_body'] ?? raw['responseBody']);
    return { method, template, body, responseBody: rb === undefined || rb === '' ? undefined : toCamelPath(rb) };
}
/** The google.api.http rule of `method` and its additional_bindings (primary first), checked against the request type. */
export function readHttpRules(method, requestType, where) {
    return rawRules(method).map((r) => readOne(r, requestType, where));
}
