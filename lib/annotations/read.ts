import 'reflect-metadata';
import { KEYS } from './keys.js';
import type {
  CacheRecord,
  InjectRecord,
  MiddlewareEntry,
  MiddlewareOptions,
  ModuleOptions,
  RouteRecord,
  RpcRecord,
  Scope,
  ServiceOptions,
} from './records.js';
import type { ProviderToken } from './token.js';

/** Options of a `@Module` class, or undefined when the class is not one. */
export function readModule(cls: object): ModuleOptions | undefined {
  return Reflect.getOwnMetadata(KEYS.module, cls) as ModuleOptions | undefined;
}

/** Scope of an injectable class (`@Service`/`@Middleware`), or undefined when it is not decorated. */
export function readInjectable(cls: object): { scope: Scope } | undefined {
  return Reflect.getMetadata(KEYS.injectable, cls) as { scope: Scope } | undefined;
}

export function readServiceOptions(cls: object): ServiceOptions | undefined {
  return Reflect.getMetadata(KEYS.service, cls) as ServiceOptions | undefined;
}

/** The `@Cached` and `@CacheEvict` methods of a class (inherited ones included). */
export function readCacheRules(cls: object): CacheRecord[] {
  return (Reflect.getMetadata(KEYS.cache, cls) as CacheRecord[] | undefined) ?? [];
}

export function readMiddlewareOptions(cls: object): MiddlewareOptions | undefined {
  return Reflect.getMetadata(KEYS.middleware, cls) as MiddlewareOptions | undefined;
}

/** How a constructor parameter or property is to be resolved. */
export interface Dependency {
  /** Parameter index, or property key for property injection. */
  at: number | string | symbol;
  token: ProviderToken | undefined;
  optional: boolean;
  /** Where the token came from: `@Inject`, emitted type metadata, or nowhere. */
  source: 'inject' | 'type' | 'none';
}

// Types TypeScript emits for interfaces, unions and primitives: they name no provider.
const NOT_A_TOKEN = new Set<unknown>([Object, Function, String, Number, Boolean, Symbol, BigInt, Array, Promise, undefined]);

/** The constructor dependencies of `cls`, from `@Inject` first, then emitted `design:paramtypes`. */
export function readConstructorDeps(cls: abstract new (...a: never[]) => unknown): Dependency[] {
  const types = (Reflect.getMetadata('design:paramtypes', cls) as unknown[] | undefined) ?? [];
  const injects = (Reflect.getOwnMetadata(KEYS.injectParams, cls) as Map<number, InjectRecord> | undefined) ?? new Map();
  let count = Math.max(cls.length, types.length);
  for (const i of injects.keys()) count = Math.max(count, i + 1);
  const deps: Dependency[] = [];
  for (let i = 0; i < count; i++) {
    const inj = injects.get(i);
    if (inj?.token !== undefined) deps.push({ at: i, token: inj.token, optional: inj.optional, source: 'inject' });
    else if (!NOT_A_TOKEN.has(types[i])) deps.push({ at: i, token: types[i] as ProviderToken, optional: inj?.optional ?? false, source: 'type' });
    else deps.push({ at: i, token: undefined, optional: inj?.optional ?? false, source: 'none' });
  }
  return deps;
}

/** Property injections of `cls` (`@Inject(token) prop`), including inherited ones. */
export function readPropertyDeps(cls: object): Dependency[] {
  const props = (Reflect.getMetadata(KEYS.injectProps, cls) as Map<string | symbol, InjectRecord> | undefined) ?? new Map();
  const deps: Dependency[] = [];
  for (const [key, inj] of props) {
    const type = Reflect.getMetadata('design:type', (cls as { prototype: object }).prototype, key) as unknown;
    const token = inj.token ?? (NOT_A_TOKEN.has(type) ? undefined : (type as ProviderToken));
    deps.push({ at: key, token, optional: inj.optional, source: inj.token ? 'inject' : token ? 'type' : 'none' });
  }
  return deps;
}

/** A route of a service with its full path and the middleware declared on its method. */
export interface RouteDescriptor extends RouteRecord {
  middleware: MiddlewareEntry[];
}

/** An rpc handler with the middleware declared on its method. */
export interface RpcDescriptor extends RpcRecord {
  middleware: MiddlewareEntry[];
}

/** Everything the transports need to know about one service class, read once at boot. */
export interface ServiceDescriptor {
  cls: object;
  options: ServiceOptions;
  routes: RouteDescriptor[];
  rpcs: RpcDescriptor[];
  /** Class-level `@UseMiddleware`, outermost first. */
  middleware: MiddlewareEntry[];
}

/** Joins a class prefix and a method path with exactly one `/` between them. */
export function joinPath(prefix: string, path: string): string {
  const p = prefix.replace(/\/+$/, '');
  if (path === '' || path === '/') return p === '' ? '/' : p;
  const joined = `${p}/${path.replace(/^\/+/, '')}`;
  return joined.startsWith('/') ? joined : `/${joined}`;
}

/** Reads every decorator record of a service class into a plain descriptor. */
export function scanService(cls: object): ServiceDescriptor {
  const prefix = (Reflect.getMetadata(KEYS.httpPrefix, cls) as string | undefined) ?? '';
  const uses = (Reflect.getMetadata(KEYS.useMiddleware, cls) as { propertyKey?: string | symbol; entries: MiddlewareEntry[] }[] | undefined) ?? [];
  const forMethod = (key: string | symbol | undefined): MiddlewareEntry[] =>
    uses.filter((u) => u.propertyKey === key).flatMap((u) => u.entries);
  const routes = ((Reflect.getMetadata(KEYS.httpRoutes, cls) as RouteRecord[] | undefined) ?? []).map((r) => ({
    ...r,
    path: joinPath(prefix, r.path),
    middleware: forMethod(r.propertyKey),
  }));
  const rpcs = ((Reflect.getMetadata(KEYS.rpcs, cls) as RpcRecord[] | undefined) ?? []).map((r) => ({
    ...r,
    middleware: forMethod(r.propertyKey),
  }));
  return { cls, options: readServiceOptions(cls) ?? {}, routes, rpcs, middleware: forMethod(undefined) };
}
