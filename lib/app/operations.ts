import type { ModuleNode } from '../container/index.js';
import { FrameworkError } from '../errors/index.js';
import { asReplyStream, chain, chainFor, type Handler, type Middleware } from '../middleware/index.js';
import { fromStandardSchema, validate, type StandardSchemaV1 } from '../middleware/validate/index.js';
import type { RequestSchema, RouteDescriptor, RpcDescriptor, ServiceDescriptor } from '../annotations/index.js';
import { RefusedRequest, withDirectCall, type DirectCall } from '../transport/index.js';
import type { MiddlewareResolver } from './middleware-resolver.js';

/** One operation of a service class: a plain `@Get/@Post` route or a proto `@Rpc` method. */
export interface OperationDescriptor {
  /** What `ctx.operation` is and middleware selectors match: `/users/{id}` or `/pkg.Service/Method`. */
  name: string;
  /** The module that declares the service, for its lineage's middleware. */
  module: ModuleNode;
  /** The service class (for its middleware) and its instance from the container. */
  service: ServiceDescriptor;
  instance: object;
  /** The decorated method: its own middleware and request schema. */
  method: RouteDescriptor | RpcDescriptor;
  /** Checks of the request beyond the method's schema (a proto's validate rules), innermost. */
  checks?: readonly Middleware[];
  /** The operation streams its replies: a synchronous iterable the method returns becomes a SyncReplies. */
  streams?: boolean;
}

/**
 * Builds the one handler chain every transport mounts for an operation: app middleware, module
 * middleware from the root down, class middleware, method middleware (each kept when its selector
 * matches the operation), then the operation's own steps. The first of those throws the error of a
 * request its transport refused (a RefusedRequest), so binding failures pass through all middleware
 * as ordinary errors; then the request schema and extra checks; then the method.
 */
export class OperationBuilder {
  readonly #resolver: MiddlewareResolver;
  readonly #app: readonly Middleware[];
  readonly #lineage = new Map<ModuleNode, Middleware[]>();

  constructor(resolver: MiddlewareResolver, appMiddleware: readonly Middleware[]) {
    this.#resolver = resolver;
    this.#app = appMiddleware;
  }

  build(d: OperationDescriptor): Handler {
    const owner = (d.service.cls as { name: string }).name;
    const where = `${owner}.${String(d.method.propertyKey)}`;
    const middleware = [
      ...this.#app,
      ...this.#moduleMiddleware(d.module),
      ...this.#resolver.resolveAll(d.service.middleware, owner),
      ...this.#resolver.resolveAll(d.method.middleware, where),
    ];
    const call = methodCall(d.instance, d.method.propertyKey, owner);
    const own = chain(...validation(d.method.validate), ...(d.checks ?? []))(d.streams === true ? streamingHandler(call) : promised(call));
    // Nothing of the operation's own between the chain and the method: whoever comes last may call the
    // method as it is (no promise for a synchronous one): the transport when there is no middleware,
    // else a fused run of the built-ins (lib/middleware/stage.ts). A failure is still a rejected promise,
    // so the transport answers it a microtask later, as it did (node has then read the whole request: a
    // failure answered inside its head would close the connection).
    const direct = d.method.validate === undefined && (d.checks ?? []).length === 0 && d.streams !== true;
    const inner = direct ? withDirectCall(refusing(own), refusing(call)) : refusing(own);
    const handler = chainFor(d.name, middleware)(inner);
    return middleware.length === 0 && direct ? withDirectCall(handler, refusing(call)) : handler;
  }

  #moduleMiddleware(node: ModuleNode): Middleware[] {
    let m = this.#lineage.get(node);
    if (m === undefined) {
      m = node.lineage.flatMap((n) => this.#resolver.resolveAll(n.options.middleware ?? [], `module ${n.name}`));
      this.#lineage.set(node, m);
    }
    return m;
  }
}

/** The first step of an operation's own chain: a request the transport refused fails here, inside all middleware. */
function refusing<C extends DirectCall>(next: C): C {
  return ((req, ctx) => (req instanceof RefusedRequest ? Promise.reject(req.error) : next(req, ctx))) as C;
}

/**
 * A method of a service instance, bound to it: its own value or promise, a throw as a rejected
 * promise. Built once per operation at boot.
 */
function methodCall(instance: object, key: string | symbol, owner: string): DirectCall {
  const fn = (instance as Record<string | symbol, unknown>)[key];
  if (typeof fn !== 'function') {
    throw new FrameworkError('KRATOS_ERR_ROUTE_INVALID', `${owner}.${String(key)} is decorated as a handler but is not a method`);
  }
  return (req, ctx) => {
    try {
      return fn.call(instance, req, ctx);
    } catch (err) {
      return Promise.reject(err);
    }
  };
}

/** The method as a handler. Not an async function: an async method's own promise is handed on, not wrapped in another one. */
function promised(call: DirectCall): Handler {
  return (req, ctx) => {
    const out = call(req, ctx);
    return out instanceof Promise ? out : Promise.resolve(out);
  };
}

/**
 * A streaming method as a handler: its reply as a reply stream, so that an array or a `*` generator
 * is watched by middleware like an `async *` one and written by transports without a promise per
 * message (SyncReplies). Anything else is handed on for the transport to refuse.
 */
function streamingHandler(call: DirectCall): Handler {
  const replies = (out: unknown): unknown => asReplyStream(out) ?? out;
  return (req, ctx) => {
    const out = call(req, ctx);
    return out instanceof Promise ? out.then(replies) : Promise.resolve(replies(out));
  };
}

/** The validate middleware for an operation's request schema, if it has one. */
function validation(schema: RequestSchema | undefined): Middleware[] {
  return schema === undefined ? [] : [validate(fromStandardSchema(schema as StandardSchemaV1))];
}
