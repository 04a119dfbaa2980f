import type protobuf from 'protobufjs';
import { FrameworkError, parsePathTemplate, toCamelPath, type HttpRule } from './deps.js';

type RawRule = Record<string, unknown> & { additional_bindings?: RawRule | RawRule[] };

const VERBS = ['get', 'put', 'post', 'delete', 'patch'] as const;

function hasField(type: protobuf.Type, camelPath: string): boolean {
  let t: protobuf.Type | undefined = type;
  for (const part of camelPath.split('.')) {
    const f: protobuf.Field | undefined = t?.fields[part];
    if (f === undefined) return false;
    const r: protobuf.ReflectionObject | null = f.resolve().resolvedType;
    t = r !== null && 'fields' in r ? (r as protobuf.Type) : undefined;
  }
  return true;
}

function readOne(raw: RawRule, request: protobuf.Type, where: string): HttpRule {
  let method: string | undefined;
  let path: string | undefined;
  for (const v of VERBS) {
    if (typeof raw[v] === 'string') {
      method = v.toUpperCase();
      path = raw[v] as string;
    }
  }
  const custom = raw['custom'] as { kind?: string; path?: string } | undefined;
  if (method === undefined && custom !== undefined) {
    method = (custom.kind ?? '').toUpperCase();
    path = custom.path;
  }
  if (method === undefined || method === '' || path === undefined || path === '') {
    throw new FrameworkError('KRATOS_ERR_PROTO_BINDING', `${where}: google.api.http rule has no method and path`);
  }
  const template = parsePathTemplate(path);
  const missing = template.variables.find((v) => !hasField(request, v));
  if (missing !== undefined) {
    // Kratos' generator stops here too (exit 2): a route whose variable binds nothing is a typo.
    throw new FrameworkError('KRATOS_ERR_PROTO_BINDING', `${where}: path variable '${missing}' of '${path}' is not a field of ${request.fullName.slice(1)}`);
  }
  const rawBody = typeof raw['body'] === 'string' && raw['body'] !== '' ? raw['body'] : undefined;
  const body = rawBody === undefined || rawBody === '*' ? rawBody : toCamelPath(rawBody);
  if (body !== undefined && body !== '*' && !hasField(request, body)) {
    throw new FrameworkError('KRATOS_ERR_PROTO_BINDING', `${where}: body '${rawBody}' is not a field of ${request.fullName.slice(1)}`);
  }
  const rb = raw['response_body'] ?? raw['responseBody'];
  return { method, template, body, responseBody: typeof rb === 'string' && rb !== '' ? toCamelPath(rb) : undefined };
}

/**
 * The google.api.http rule of `method` and its additional_bindings, primary first, checked against
 * the request type the same way the transports check them at run time. Read from the options
 * directly because generation works on any loaded root, not only on a file the loader reads again.
 */
export function httpRulesOf(method: protobuf.Method, where: string): HttpRule[] {
  method.resolve();
  const request = method.resolvedRequestType as protobuf.Type;
  const parsed = (method.parsedOptions ?? []) as Record<string, unknown>[];
  const raw = parsed.find((o) => '(google.api.http)' in o)?.['(google.api.http)'] as RawRule | undefined;
  if (raw === undefined) return [];
  const extra = raw.additional_bindings;
  const more = extra === undefined ? [] : Array.isArray(extra) ? extra : [extra];
  return [readOne(raw, request, where), ...more.map((r) => readOne(r, request, where))];
}
