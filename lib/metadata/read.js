import 'reflect-metadata';
import { KEYS } from './keys.js';
/** Options of a `@Module` class, or undefined when the class is not one. */
export function readModule(cls) {
    return Reflect.getOwnMetadata(KEYS.module, cls);
}
/** Scope of an injectable class (`@Service`/`@Middleware`), or undefined when it is not decorated. */
export function readInjectable(cls) {
    return Reflect.getMetadata(KEYS.injectable, cls);
}
export function readServiceOptions(cls) {
    return Reflect.getMetadata(KEYS.service, cls);
}
/** The `@Cached` and `@CacheEvict` methods of a class (inherited ones included). */
export function readCacheRules(cls) {
    return Reflect.getMetadata(KEYS.cache, cls) ?? [];
}
export function readMiddlewareOptions(cls) {
    return Reflect.getMetadata(KEYS.middleware, cls);
}
// Types TypeScript emits for interfaces, unions and primitives: they name no provider.
const NOT_A_TOKEN = new Set([Object, Function, String, Number, Boolean, Symbol, BigInt, Array, Promise, undefined]);
/** The constructor dependencies of `cls`, from `@Inject` first, then emitted `design:paramtypes`. */
export function readConstructorDeps(cls) {
    const types = Reflect.getMetadata('design:paramtypes', cls) ?? [];
    const injects = Reflect.getOwnMetadata(KEYS.injectParams, cls) ?? new Map();
    let count = Math.max(cls.length, types.length);
    for (const i of injects.keys())
        count = Math.max(count, i + 1);
    const deps = [];
    for (let i = 0; i < count; i++) {
        const inj = injects.get(i);
        if (inj?.token !== undefined)
            deps.push({ at: i, token: inj.token, optional: inj.optional, source: 'inject' });
        else if (!NOT_A_TOKEN.has(types[i]))
            deps.push({ at: i, token: types[i], optional: inj?.optional ?? false, source: 'type' });
        else
            deps.push({ at: i, token: undefined, optional: inj?.optional ?? false, source: 'none' });
    }
    return deps;
}
/** Property injections of `cls` (`@Inject(token) prop`), including inherited ones. */
export function readPropertyDeps(cls) {
    const props = Reflect.getMetadata(KEYS.injectProps, cls) ?? new Map();
    const deps = [];
    for (const [key, inj] of props) {
        const type = Reflect.getMetadata('design:type', cls.prototype, key);
        const token = inj.token ?? (NOT_A_TOKEN.has(type) ? undefined : type);
        deps.push({ at: key, token, optional: inj.optional, source: inj.token ? 'inject' : token ? 'type' : 'none' });
    }
    return deps;
}
/** Joins a class prefix and a method path with exactly one `/` between them. */
export function joinPath(prefix, path) {
    const p = prefix.replace(/\/+$/, '');
    if (path === '' || path === '/')
        return p === '' ? '/' : p;
    const joined = `${p}/${path.replace(/^\/+/, '')}`;
    return joined.startsWith('/') ? joined : `/${joined}`;
}
/** Reads every decorator record of a service class into a plain descriptor. */
export function scanService(cls) {
    const prefix = Reflect.getMetadata(KEYS.httpPrefix, cls) ?? '';
    const uses = Reflect.getMetadata(KEYS.useMiddleware, cls) ?? [];
    const forMethod = (key) => uses.filter((u) => u.propertyKey === key).flatMap((u) => u.entries);
    const routes = (Reflect.getMetadata(KEYS.httpRoutes, cls) ?? []).map((r) => ({
        ...r,
        path: joinPath(prefix, r.path),
        middleware: forMethod(r.propertyKey),
    }));
    const rpcs = (Reflect.getMetadata(KEYS.rpcs, cls) ?? []).map((r) => ({
        ...r,
        middleware: forMethod(r.propertyKey),
    }));
    return { cls, options: readServiceOptions(cls) ?? {}, routes, rpcs, middleware: forMethod(undefined) };
}
