import type protobuf from 'protobufjs';
import { decodeForm, setFieldPath, toCanonical, toProtoJson } from '../../encoding/index.js';
import { FrameworkError } from '../../errors/index.js';
import type { Handler } from '../../middleware/index.js';
import type { HttpRule, MethodSchema } from '../../proto/index.js';
import { unsupported } from './body.js';
import type { HttpRoute, RawRequest } from './route-table.js';

function camel(path: string): string[] {
  return path.split('.').map((p) => p.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase()));
}

/** The field at a (proto-named) dotted path of `type`; a coded error names the rpc when it does not exist. */
function fieldAt(type: protobuf.Type, path: string, op: string): { names: string[]; field: protobuf.Field } {
  const names = camel(path);
  let t: protobuf.Type | undefined = type;
  let field: protobuf.Field | undefined;
  for (const n of names) {
    field = t?.fields[n];
    if (field === undefined) throw new FrameworkError('KRATOS_ERR_PROTO_BINDING', `${op}: field '${path}' does not exist in ${type.fullName.slice(1)}`);
    field.resolve();
    t = field.resolvedType instanceof Object && 'fields' in field.resolvedType ? (field.resolvedType as protobuf.Type) : undefined;
  }
  return { names, field: field as protobuf.Field };
}

function setPath(target: Record<string, unknown>, names: string[], value: unknown): void {
  let cur = target;
  for (const n of names.slice(0, -1)) {
    const next = cur[n];
    cur = (cur[n] = typeof next === 'object' && next !== null ? next : {}) as Record<string, unknown>;
  }
  cur[names[names.length - 1] as string] = value;
}

function messageType(field: protobuf.Field): protobuf.Type | undefined {
  const t = field.resolvedType;
  return t !== null && 'fields' in t ? (t as protobuf.Type) : undefined;
}

const HTTP_BODY = '.google.api.HttpBody';
const isHttpBody = (t: protobuf.Type | undefined): boolean => t?.fullName === HTTP_BODY;

/**
 * Binds a request for one google.api.http rule (§3): the body (`*` or a field), then query
 * parameters, then path variables, later winning; the result is a canonical request message.
 */
function binder(type: protobuf.Type, rule: HttpRule, op: string): (raw: RawRequest) => unknown {
  const body = rule.body === undefined || rule.body === '*' ? undefined : fieldAt(type, rule.body, op);
  const bodyType = body === undefined ? undefined : messageType(body.field);
  // A google.api.HttpBody body is the raw bytes with their own content type, whatever it is (uploads, as grpc-gateway).
  const rawBody = rule.body !== undefined && isHttpBody(body === undefined ? type : bodyType);
  return (raw) => {
    let req: Record<string, unknown> = {};
    if (rawBody) {
      const value = { contentType: raw.contentType ?? '', data: raw.body };
      if (body === undefined) req = value;
      else setPath(req, body.names, value);
    } else if (rule.body !== undefined && raw.body.length > 0) {
      if (raw.codec === undefined) throw unsupported(raw.contentType);
      if (body === undefined) req = raw.codec.unmarshal(raw.body, type) as Record<string, unknown>;
      else setPath(req, body.names, raw.codec.unmarshal(raw.body, bodyType));
    }
    if (raw.query !== '') decodeForm(type, new URLSearchParams(raw.query), req);
    for (const [field, value] of Object.entries(rule.template.fields(raw.params))) setFieldPath(type, req, field, value);
    return toCanonical(type, type.fromObject(req));
  };
}

// A repeated or map response_body is no message of its own: send its proto JSON form.
function replyField(names: string[], field: protobuf.Field): NonNullable<HttpRoute['reply']> {
  const type = messageType(field);
  if (!field.repeated && !field.map) return { type, field: names, ...(isHttpBody(type) ? { httpBody: true } : {}) };
  const one = (v: unknown): unknown => (type === undefined ? v : toProtoJson(type, v));
  const toPlain = field.map
    ? (v: unknown) => Object.fromEntries(Object.entries((v ?? {}) as Record<string, unknown>).map(([k, x]) => [k, one(x)]))
    : (v: unknown) => ((v ?? []) as unknown[]).map(one);
  return { type: undefined, field: names, toPlain };
}

/**
 * One HTTP route per google.api.http rule of a unary or server-streaming rpc (a stream answers as
 * NDJSON or Server-Sent Events), all on the same handler. Client streams have no HTTP form.
 */
export function protoRoutes(method: MethodSchema, handler: Handler, onBindError: Handler): HttpRoute[] {
  if (method.requestStream) return [];
  return method.http.map((rule) => {
    const rb = rule.responseBody === undefined ? undefined : fieldAt(method.responseType, rule.responseBody, method.operation);
    return {
      method: rule.method,
      path: rule.template.routerPath,
      operation: method.operation,
      handler,
      onBindError,
      bind: binder(method.requestType, rule, method.operation),
      reply: rb === undefined ? { type: method.responseType, ...(isHttpBody(method.responseType) ? { httpBody: true } : {}) } : replyField(rb.names, rb.field),
      ...(method.responseStream ? { stream: true } : {}),
    };
  });
}
