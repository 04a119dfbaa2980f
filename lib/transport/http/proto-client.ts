import { encodeForm, fromProtoJson, getFieldPath, toCanonical } from '../../encoding/index.js';
import { fieldAtPath, messageTypeAt, type HttpRule, type MethodSchema, type ServiceSchema } from '../../proto/index.js';
import { HttpClient, type HttpCallOptions, type HttpClientOptions } from './http-client.js';

/** A typed HTTP client method: the request message in, the reply message out. */
export type ProtoHttpMethod = (request: Record<string, unknown>, options?: HttpCallOptions) => Promise<Record<string, unknown>>;

function without(value: Record<string, unknown>, paths: readonly string[]): Record<string, unknown> {
  const copy = structuredClone(value);
  for (const p of paths) {
    const parts = p.split('.');
    let cur: Record<string, unknown> | undefined = copy;
    for (const k of parts.slice(0, -1)) cur = cur?.[k] as Record<string, unknown> | undefined;
    if (cur !== undefined) delete cur[parts[parts.length - 1] as string];
  }
  return copy;
}

function pick(value: Record<string, unknown>, path: string): unknown {
  let cur: unknown = value;
  for (const k of path.split('.')) cur = (cur as Record<string, unknown> | undefined)?.[k];
  return cur;
}

/**
 * A call following the rpc's first google.api.http rule (docs/proto-first.md#http-from-googleapihttp client rules): path variables expanded
 * from the request (patterns such as `{name=shelves/*}` included, which Kratos v2 cannot expand), the
 * body as the rule says, and every other set field as query parameters.
 */
function ruleCall(client: HttpClient, m: MethodSchema, rule: HttpRule): ProtoHttpMethod {
  const bodyPath = rule.body === undefined || rule.body === '*' ? undefined : rule.body;
  const bodyType = rule.body === '*' ? m.requestType : bodyPath === undefined ? undefined : messageTypeAt(m.requestType, bodyPath.split('.'));
  const rbPath = rule.responseBody?.split('.');
  const rbField = rbPath === undefined ? undefined : fieldAtPath(m.responseType, rbPath);
  // A repeated or map response_body arrives as plain proto JSON; each element is read with its type.
  const plural = rbField !== undefined && (rbField.repeated || rbField.map);
  const elementType = rbPath === undefined ? undefined : messageTypeAt(m.responseType, rbPath);
  const replyType = rbPath === undefined ? m.responseType : plural ? undefined : elementType;
  // google.api.HttpBody travels as raw bytes with its own content type, as the server serves it.
  const rawRequest = bodyType?.fullName === '.google.api.HttpBody';
  const rawReply = replyType?.fullName === '.google.api.HttpBody';
  return async (request, options = {}) => {
    const req = toCanonical(m.requestType, m.requestType.fromObject(request));
    const path = rule.template.expand((f) => getFieldPath(req, f));
    const body = rule.body === '*' ? req : bodyPath === undefined ? undefined : pick(req, bodyPath);
    let query = '';
    if (rule.body !== '*') {
      const rest = without(req, [...rule.template.variables, ...(bodyPath === undefined ? [] : [bodyPath])]);
      query = encodeForm(m.requestType, rest).toString();
    }
    const reply = await client.invoke<unknown>(rule.method, query === '' ? path : `${path}?${query}`, body, {
      operation: m.operation,
      requestType: bodyType,
      replyType,
      ...(rawRequest ? { rawRequest } : {}),
      ...(rawReply ? { rawReply } : {}),
      ...options,
    });
    if (rbPath === undefined) return (reply ?? toCanonical(m.responseType, {})) as Record<string, unknown>;
    let value: unknown = reply;
    if (plural && elementType !== undefined) {
      const one = (x: unknown): unknown => fromProtoJson(elementType, x);
      value = rbField?.map ? Object.fromEntries(Object.entries((reply ?? {}) as Record<string, unknown>).map(([k, x]) => [k, one(x)])) : ((reply ?? []) as unknown[]).map(one);
    }
    const whole: Record<string, unknown> = {};
    let cur = whole;
    for (const k of rbPath.slice(0, -1)) cur = (cur[k] = {}) as Record<string, unknown>;
    cur[rbPath[rbPath.length - 1] as string] = value;
    return toCanonical(m.responseType, m.responseType.fromObject(whole));
  };
}

/** A typed HTTP client for a proto service: one method per unary rpc that has a google.api.http rule. */
export type ProtoHttpClient = Record<string, ProtoHttpMethod> & { close(): void };

/** An HTTP client for `service` whose methods follow the rpcs' annotations (lowerCamel names). */
export function createProtoHttpClient(service: ServiceSchema, options: HttpClientOptions): ProtoHttpClient {
  const client = new HttpClient(options);
  const out: Record<string, unknown> = { close: () => client.close() };
  for (const m of service.methods) {
    const rule = m.http[0];
    if (rule === undefined || m.requestStream || m.responseStream) continue;
    out[m.name.charAt(0).toLowerCase() + m.name.slice(1)] = ruleCall(client, m, rule);
  }
  return out as ProtoHttpClient;
}
