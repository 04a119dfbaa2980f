import type { Context } from '../transport/index.js';

/** Span attribute keys (OTel semantic conventions as Kratos uses them, docs/observability.md#tracing). */
export const ATTR_RPC_SYSTEM = 'rpc.system';
export const ATTR_RPC_SERVICE = 'rpc.service';
export const ATTR_RPC_METHOD = 'rpc.method';
export const ATTR_RPC_OPERATION = 'rpc.operation';
export const ATTR_RPC_STATUS_CODE = 'rpc.status_code';
export const ATTR_HTTP_ROUTE = 'http.route';

// gRPC paths are always /service/method. Over HTTP a plain route such as /users/list has the same
// shape, so there the service must be package-qualified (contain a dot) to count as a proto operation.
const GRPC_OPERATION = /^\/([^/]+)\/([^/]+)$/;
const PROTO_OPERATION = /^\/([\w]+(?:\.[\w]+)+)\/(\w+)$/;

/** The attributes a call's span starts with: rpc.system, rpc.service + rpc.method or rpc.operation, http.route. */
export function callAttributes(ctx: Context): Readonly<Record<string, string>> {
  // A server has a fixed set of operations, so each gets its attributes computed once.
  const cache = ctx.side === 'server' ? (ctx.kind === 'http' ? HTTP_SERVER : GRPC_SERVER) : undefined;
  let attributes = cache?.get(ctx.operation);
  if (attributes === undefined) {
    attributes = Object.freeze(computeAttributes(ctx));
    if (cache !== undefined && cache.size < MAX_CACHED_OPERATIONS) cache.set(ctx.operation, attributes);
  }
  return attributes;
}

const MAX_CACHED_OPERATIONS = 10_000;
const HTTP_SERVER = new Map<string, Readonly<Record<string, string>>>();
const GRPC_SERVER = new Map<string, Readonly<Record<string, string>>>();

function computeAttributes(ctx: Context): Record<string, string> {
  const attributes: Record<string, string> = { [ATTR_RPC_SYSTEM]: ctx.kind };
  const m = (ctx.kind === 'grpc' ? GRPC_OPERATION : PROTO_OPERATION).exec(ctx.operation);
  if (m !== null) {
    attributes[ATTR_RPC_SERVICE] = m[1] as string;
    attributes[ATTR_RPC_METHOD] = m[2] as string;
  } else {
    attributes[ATTR_RPC_OPERATION] = ctx.operation;
  }
  if (ctx.kind === 'http' && ctx.side === 'server') attributes[ATTR_HTTP_ROUTE] = ctx.operation;
  return attributes;
}
