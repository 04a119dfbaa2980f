import type { Middleware, OperationMatcher } from '../middleware/index.js';
import type { Class, ProviderToken } from './token.js';
import type { Provider } from './providers.js';

/** Lifetime of a provider's value. */
export type Scope = 'singleton' | 'transient';

/** `@Module` options. */
export interface ModuleOptions {
  /** Modules whose exports this module can inject. */
  imports?: Class[];
  /** Providers owned by this module. */
  providers?: Provider[];
  /** Injectable classes exposed on the transports (routes, rpcs). */
  services?: Class[];
  /** Middleware for the operations of this module's services and of every module it imports. */
  middleware?: MiddlewareEntry[];
  /** Tokens (or imported modules, re-exported whole) that importing modules can inject. */
  exports?: (ProviderToken | Class)[];
}

/** `@Service` options. */
export interface ServiceOptions {
  /** Path of the .proto file that declares the service, relative to the working directory. */
  proto?: string;
  /** Fully qualified proto service name, e.g. `helloworld.v1.Greeter`. */
  name?: string;
  /** Lifetime; `singleton` unless set. */
  scope?: Scope;
}

/** `@Middleware` options. */
export interface MiddlewareOptions {
  /** Operations it applies to; all when unset. */
  match?: OperationMatcher | OperationMatcher[];
  /** Lifetime of the middleware instance; `singleton` unless set. */
  scope?: Scope;
}

/** A middleware function or a class decorated with `@Middleware` that has `handle(next)`. */
export type MiddlewareEntry = Middleware | Class<MiddlewareClass>;

/** The shape of a `@Middleware` class. */
export interface MiddlewareClass {
  handle(next: Parameters<Middleware>[0]): ReturnType<Middleware>;
}

/** A Standard Schema (zod, valibot, ...) that checks a handler's request; see lib/middleware/validate. */
export type RequestSchema = { readonly '~standard': { readonly version: 1; readonly validate: (value: unknown) => unknown } };

/** One HTTP route declared by `@Http`/`@Get`/... on a method. */
export interface RouteRecord {
  method: string;
  path: string;
  propertyKey: string | symbol;
  /** Checks the bound request before the handler. */
  validate?: RequestSchema | undefined;
}

/** One `@Rpc` method. */
export interface RpcRecord {
  /** Rpc name when given explicitly (`@Rpc('SayHello')`). */
  name: string | undefined;
  propertyKey: string | symbol;
  /** Checks the request before the handler. */
  validate?: RequestSchema | undefined;
}

/** An explicit injection on a parameter or property. */
export interface InjectRecord {
  token: ProviderToken | undefined;
  optional: boolean;
}

/** How a cache key is made from a method's arguments: `'user:{0}'` (argument positions) or a function. */
export type CacheKey = string | ((...args: never[]) => string);

/** `@Cached` / `@CacheEvict` on a method: what the cache layer wraps it with at boot. */
export interface CacheRecord {
  propertyKey: string | symbol;
  kind: 'cached' | 'evict';
  key: CacheKey;
  /** Durations as written: ms or '5m'. */
  ttl?: number | string;
  negativeTtl?: number | string;
  staleTtl?: number | string;
  jitter?: number;
  /** A protobufjs Type to store values as binary messages. */
  type?: unknown;
}
