import type protobuf from 'protobufjs';
import type { HttpRule } from './deps.js';
import { openApiPath, type OpenApiPathParam } from './openapi-paths.js';
import type { ProtoFile, RpcInfo, ServiceInfo } from './proto-file.js';
import { isMessage } from './proto-file.js';
import { isScalarLike, isWellKnown, SchemaSet, type Schema } from './openapi-schema.js';
import { fullNameOf } from './names.js';

const STATUS_SCHEMA = 'kratos.Status';

// The methods an OpenAPI path item can hold; a custom rule kind outside them has no place there.
const OPENAPI_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

function fieldAt(type: protobuf.Type, path: string): protobuf.Field | undefined {
  let t: protobuf.Type | undefined = type;
  let f: protobuf.Field | undefined;
  for (const part of path.split('.')) {
    f = t?.fields[part];
    if (f === undefined) return undefined;
    const r: protobuf.ReflectionObject | null = f.resolve().resolvedType;
    t = isMessage(r) ? r : undefined;
  }
  return f;
}

/**
 * Query parameters for the fields a rule leaves over (docs/proto-first.md#http-from-googleapihttp: the client sends them as the query, the
 * server binds the query into the whole request): scalars, enums and their repeated forms, and
 * nested messages flattened with dots. Maps and JSON-shaped WKTs cannot be written as one value.
 */
function queryParameters(type: protobuf.Type, schemas: SchemaSet, skip: (path: string) => boolean, prefix = '', stack: protobuf.Type[] = []): Schema[] {
  const out: Schema[] = [];
  for (const f of type.fieldsArray) {
    const path = `${prefix}${f.name}`;
    if (skip(path) || f.map) continue;
    const r = f.resolve().resolvedType;
    if (isMessage(r) && !isScalarLike(r)) {
      // Only a singular plain message can be spread into dotted keys; a cycle would never end.
      if (!f.repeated && !isWellKnown(r) && !stack.includes(r)) out.push(...queryParameters(r, schemas, skip, `${path}.`, [...stack, type]));
      continue;
    }
    out.push({ name: path, in: 'query', schema: schemas.ofField(f) });
  }
  return out;
}

// A variable with a pattern is spelled out in the path; say which field the server binds and how.
function pathParameter(p: OpenApiPathParam, rpc: RpcInfo, schemas: SchemaSet): Schema {
  if (p.pattern === undefined) {
    const f = fieldAt(rpc.request, p.field);
    const out: Schema = { name: p.name, in: 'path', required: true, schema: f === undefined ? { type: 'string' } : schemas.ofField(f) };
    if (p.multi) out['description'] = `The whole \`${p.field}\`; may contain '/'.`;
    return out;
  }
  const slash = p.multi ? "; it may contain '/'" : '';
  return {
    name: p.name,
    in: 'path',
    required: true,
    description: `The \`${p.name}\` segment${slash}. The server receives \`${p.field}\` = \`${p.template}\` (pattern \`${p.pattern}\`).`,
    schema: p.multi ? { type: 'string' } : { type: 'string', pattern: '^[^/]+$' },
    'x-kratos-field': p.field,
    'x-kratos-pattern': p.pattern,
  };
}

function operation(service: ServiceInfo, rpc: RpcInfo, rule: HttpRule, operationId: string, schemas: SchemaSet): Schema {
  const op: Schema = { tags: [service.name], operationId };
  const parameters: Schema[] = openApiPath(rule.template.source).params.map((p) => pathParameter(p, rpc, schemas));
  if (rule.body !== '*') {
    const body = rule.body;
    const vars = rule.template.variables;
    const skip = (path: string): boolean => vars.includes(path) || (body !== undefined && (path === body || path.startsWith(`${body}.`)));
    parameters.push(...queryParameters(rpc.request, schemas, skip));
  }
  if (parameters.length > 0) op['parameters'] = parameters;
  if (rule.body !== undefined) {
    const f = rule.body === '*' ? undefined : fieldAt(rpc.request, rule.body);
    const bodyType = f === undefined ? rpc.request : f.resolve().resolvedType;
    const schema = f === undefined ? schemas.ofType(rpc.request) : schemas.ofField(f);
    op['requestBody'] = { required: true, content: isHttpBody(bodyType) ? RAW : { 'application/json': { schema } } };
  }
  const rb = rule.responseBody === undefined ? undefined : fieldAt(rpc.reply, rule.responseBody);
  const reply = rb === undefined ? schemas.ofType(rpc.reply) : schemas.ofField(rb);
  op['responses'] = {
    '200': { description: 'OK', content: isHttpBody(rb === undefined ? rpc.reply : rb.resolve().resolvedType) ? RAW : { 'application/json': { schema: reply } } },
    default: { description: 'A Kratos error.', content: { 'application/json': { schema: { $ref: `#/components/schemas/${STATUS_SCHEMA}` } } } },
  };
  return op;
}

// google.api.HttpBody travels as the raw bytes of its own content type (file upload and download).
const RAW: Schema = { '*/*': { schema: { type: 'string', format: 'binary' } } };
const isHttpBody = (t: protobuf.ReflectionObject | null): boolean => t !== null && fullNameOf(t) === 'google.api.HttpBody';

/** The body of every Kratos error response (docs/errors-and-metadata.md#on-the-wire). */
const STATUS: Schema = {
  type: 'object',
  properties: {
    code: { type: 'integer', format: 'int32', description: 'The HTTP status code.' },
    reason: { type: 'string', description: 'The UPPER_SNAKE error reason, e.g. USER_NOT_FOUND.' },
    message: { type: 'string' },
    metadata: { type: 'object', additionalProperties: { type: 'string' } },
  },
};

/**
 * The OpenAPI 3.0 document of a file's google.api.http rules: one operation per rule (additional
 * bindings included, suffixed `_1`, `_2`), in declaration order, with proto JSON schemas.
 */
export function openApiDocument(proto: ProtoFile, source: string): Schema {
  const schemas = new SchemaSet();
  const paths: Record<string, Record<string, Schema>> = {};
  const tags: Schema[] = [];
  const operationIds = new Set<string>();
  for (const s of proto.services) {
    let tagged = false;
    for (const r of s.rpcs) {
      // Streams have no HTTP binding in Kratos v2; the transports skip them too.
      if (r.requestStream || r.responseStream) continue;
      r.http.forEach((rule, i) => {
        const method = rule.method.toLowerCase();
        if (!OPENAPI_METHODS.has(method)) return;
        const item = (paths[openApiPath(rule.template.source).path] ??= {});
        // The same method on the same path is routed to the first rule only; the document says the same.
        if (method in item) return;
        let id = i === 0 ? `${s.name}_${r.name}` : `${s.name}_${r.name}_${i}`;
        for (let n = 2; operationIds.has(id); n++) id = `${s.name}_${r.name}_${i}_${n}`;
        operationIds.add(id);
        item[method] = operation(s, r, rule, id, schemas);
        if (!tagged) tags.push({ name: s.name, description: `The ${s.fullName} service.` });
        tagged = true;
      });
    }
  }
  if (Object.keys(paths).length > 0) schemas.schemas[STATUS_SCHEMA] = STATUS;
  const title = proto.services.length === 1 ? `${proto.services[0]?.name ?? ''} API` : `${proto.pkg === '' ? source : proto.pkg} API`;
  return {
    openapi: '3.0.3',
    info: { title, description: `Generated by kratos-ts proto client from ${source}.`, version: '0.0.1' },
    tags,
    paths,
    components: { schemas: schemas.schemas },
  };
}
