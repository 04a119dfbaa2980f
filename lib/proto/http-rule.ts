import type protobuf from 'protobufjs';
import { FrameworkError } from '../errors/index.js';
import { parsePathTemplate, toCamelPath, type PathTemplate } from './path-template.js';

/** One google.api.http binding of an rpc (docs/proto-first.md#http-from-googleapihttp). */
export interface HttpRule {
  /** `GET`, `POST`, ... or a custom kind, upper-cased. */
  method: string;
  template: PathTemplate;
  /** `*`, a field path in camelCase (`book`, `user.profile`), or undefined for no body. */
  body: string | undefined;
  /** Field path (camelCase) of the reply sent as the body, or undefined for the whole reply. */
  responseBody: string | undefined;
}

type RawRule = Record<string, unknown> & { additional_bindings?: RawRule | RawRule[] };

const VERBS = ['get', 'put', 'post', 'delete', 'patch'] as const;

function fieldExists(type: protobuf.Type, camelPath: string): boolean {
  let t: protobuf.Type | undefined = type;
  for (const part of camelPath.split('.')) {
    const f: protobuf.Field | undefined = t?.fields[part];
    if (f === undefined) return false;
    f.resolve();
    t = f.resolvedType !== null && 'fields' in f.resolvedType ? (f.resolvedType as protobuf.Type) : undefined;
  }
  return true;
}

function verbAndPath(raw: RawRule): { method: string | undefined; path: string | undefined } {
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
  return { method, path };
}

function rawRules(method: protobuf.Method): RawRule[] {
  const parsed = (method.parsedOptions ?? []) as Record<string, unknown>[];
  const raw = parsed.find((o) => '(google.api.http)' in o)?.['(google.api.http)'] as RawRule | undefined;
  if (raw === undefined) return [];
  const extra = raw.additional_bindings;
  return [raw, ...(extra === undefined ? [] : Array.isArray(extra) ? extra : [extra])];
}

/** The google.api.http bindings of `method` as written, unchecked (what `proto lint` inspects). */
export function readRawHttpRules(method: protobuf.Method): { method: string; path: string; body: string | undefined }[] {
  return rawRules(method).map((raw) => {
    const { method: verb, path } = verbAndPath(raw);
    return { method: verb ?? '', path: path ?? '', body: typeof raw['body'] === 'string' && raw['body'] !== '' ? raw['body'] : undefined };
  });
}

function readOne(raw: RawRule, requestType: protobuf.Type, where: string): HttpRule {
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
  const rawBody = typeof raw['body'] === 'string' && raw['body'] !== '' ? (raw['body'] as string) : undefined;
  const body = rawBody === undefined || rawBody === '*' ? rawBody : toCamelPath(rawBody);
  if (body !== undefined && body !== '*' && !fieldExists(requestType, body)) {
    throw new FrameworkError('KRATOS_ERR_PROTO_BINDING', `${where}: body '${rawBody}' is not a field of ${requestType.fullName.slice(1)}`);
  }
  const rb = (raw['response_body'] ?? raw['responseBody']) as string | undefined;
  return { method, template, body, responseBody: rb === undefined || rb === '' ? undefined : toCamelPath(rb) };
}

/** The google.api.http rule of `method` and its additional_bindings (primary first), checked against the request type. */
export function readHttpRules(method: protobuf.Method, requestType: protobuf.Type, where: string): HttpRule[] {
  return rawRules(method).map((r) => readOne(r, requestType, where));
}
