import type protobuf from 'protobufjs';
import { canonicalFromPlain, decodeForm, findField, isUnsafeKey, parseScalar, setFieldPath, toCanonical, toProtoJson } from '../encoding/index.js';
import { FrameworkError } from '../errors/index.js';
import type { Handler } from '../middleware/index.js';
import type { HttpRule, MethodSchema } from '../proto/index.js';
import { codecResponseEncoder, rawHttpBody, unsupported, type HttpRoute, type RequestDecoder, type ResponseEncoder } from '../transport/http/index.js';

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
 * The request decoder of one google.api.http rule (docs/proto-first.md#http-from-googleapihttp): the body (`*` or a field), then query
 * parameters, then path variables, later winning; the result is a canonical request message.
 */
function ruleDecoder(type: protobuf.Type, rule: HttpRule, op: string): RequestDecoder {
  const body = rule.body === undefined || rule.body === '*' ? undefined : fieldAt(type, rule.body, op);
  const bodyType = body === undefined ? undefined : messageType(body.field);
  // A google.api.HttpBody body is the raw bytes with their own content type, whatever it is (uploads, as grpc-gateway).
  const rawBody = rule.body !== undefined && isHttpBody(body === undefined ? type : bodyType);
  const scalars = rawBody ? undefined : scalarVariables(type, rule);
  return (raw) => {
    // Only path variables, each a top-level scalar: their values are canonical already (parseScalar's),
    // so only the defaults are filled in, with no trip through a protobufjs message and back.
    if (scalars !== undefined && raw.query === '' && (rule.body === undefined || raw.body.length === 0)) {
      const req: Record<string, unknown> = {};
      for (const v of scalars) req[v.field.name] = parseScalar(v.field, raw.params[v.param] ?? '', v.path);
      return canonicalFromPlain(type, req);
    }
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

/** A path variable bound straight to a field: one whole segment, a singular scalar of the request itself. */
interface ScalarVariable {
  readonly path: string;
  readonly param: string;
  readonly field: protobuf.Field;
}

/**
 * The variables of a rule when every one is a {@link ScalarVariable} (not an enum, whose aliases
 * protobufjs renames, nor in a oneof); undefined otherwise, and the request takes the general way.
 */
function scalarVariables(type: protobuf.Type, rule: HttpRule): ScalarVariable[] | undefined {
  const out: ScalarVariable[] = [];
  for (const path of rule.template.variables) {
    const param = rule.template.segmentParams.get(path);
    const field = isUnsafeKey(path) ? undefined : findField(type, path);
    if (param === undefined || field === undefined || field.repeated || field.map || field.partOf !== null || field.resolve().resolvedType !== null) return undefined;
    if (out.some((v) => v.field === field)) return undefined;
    out.push({ path, param, field });
  }
  return out;
}

function pick(names: readonly string[], reply: unknown): unknown {
  let value = reply;
  for (const f of names) value = (value as Record<string, unknown> | undefined)?.[f];
  return value;
}

/**
 * The reply encoder of a message type: `encoder` (the server's) gets the message with its type, so
 * proto-aware codecs write it through its schema; a google.api.HttpBody is sent raw.
 */
function messageEncoder(encoder: ResponseEncoder, type: protobuf.Type | undefined, names: readonly string[] = []): ResponseEncoder {
  if (isHttpBody(type)) return (reply) => rawHttpBody(pick(names, reply));
  if (type === undefined) return (reply, negotiated, ctx) => encoder(pick(names, reply) ?? null, negotiated, ctx);
  return (reply, negotiated, ctx) => encoder(pick(names, reply), negotiated, ctx, type);
}

// A repeated or map response_body is no message of its own: its proto JSON form goes to the encoder untyped.
function fieldEncoder(encoder: ResponseEncoder, names: string[], field: protobuf.Field): ResponseEncoder {
  const type = messageType(field);
  if (!field.repeated && !field.map) return messageEncoder(encoder, type, names);
  const one = (v: unknown): unknown => (type === undefined ? v : toProtoJson(type, v));
  const toPlain = field.map
    ? (v: unknown) => Object.fromEntries(Object.entries((v ?? {}) as Record<string, unknown>).map(([k, x]) => [k, one(x)]))
    : (v: unknown) => ((v ?? []) as unknown[]).map(one);
  return (reply, negotiated, ctx) => encoder(toPlain(pick(names, reply)), negotiated, ctx);
}

/**
 * One HTTP route per google.api.http rule of a unary or server-streaming rpc (a stream answers as
 * NDJSON or Server-Sent Events), all on the same handler, each with the decoder its rule asks for and
 * an encoder that picks the reply (response_body) and hands it, typed, to `encoder` (the server's
 * response encoder; each message of a stream goes to the default one, as the stream is its own
 * envelope). Client streams have no HTTP form.
 */
export function protoRoutes(method: MethodSchema, handler: Handler, serverEncoder: ResponseEncoder = codecResponseEncoder): HttpRoute[] {
  if (method.requestStream) return [];
  const encoder = method.responseStream ? codecResponseEncoder : serverEncoder;
  return method.http.map((rule) => {
    const rb = rule.responseBody === undefined ? undefined : fieldAt(method.responseType, rule.responseBody, method.operation);
    return {
      method: rule.method,
      path: rule.template.routerPath,
      operation: method.operation,
      handler,
      acceptsRefused: true,
      decode: ruleDecoder(method.requestType, rule, method.operation),
      encode: rb === undefined ? messageEncoder(encoder, method.responseType) : fieldEncoder(encoder, rb.names, rb.field),
      ...(method.responseStream ? { stream: true } : {}),
    };
  });
}
