import 'reflect-metadata';
import { KEYS } from './keys.js';
/** Sets a class-level record. */
export function defineClassRecord(target, key, value) {
    Reflect.defineMetadata(key, value, target);
}
/** Appends to a list kept on the class itself; a subclass starts from a copy of its parent's list. */
export function appendClassList(target, key, item) {
    const own = Reflect.getOwnMetadata(key, target);
    const list = own ?? [...(Reflect.getMetadata(key, target) ?? [])];
    list.push(item);
    Reflect.defineMetadata(key, list, target);
}
export function addRoute(ctor, route) {
    appendClassList(ctor, KEYS.httpRoutes, route);
}
export function addRpc(ctor, rpc) {
    appendClassList(ctor, KEYS.rpcs, rpc);
}
export function addCacheRule(ctor, rule) {
    appendClassList(ctor, KEYS.cache, rule);
}
/** Records `@UseMiddleware` on a class (propertyKey undefined) or one of its methods. */
export function addUseMiddleware(ctor, propertyKey, entries) {
    appendClassList(ctor, KEYS.useMiddleware, { propertyKey, entries });
}
/** Merges an explicit injection record for constructor parameter `index`. */
export function mergeParamInject(ctor, index, patch) {
    const own = Reflect.getOwnMetadata(KEYS.injectParams, ctor) ?? new Map();
    const prev = own.get(index) ?? { token: undefined, optional: false };
    own.set(index, { ...prev, ...patch });
    Reflect.defineMetadata(KEYS.injectParams, own, ctor);
}
/** Merges an explicit injection record for property `key`. */
export function mergePropInject(ctor, key, patch) {
    const own = Reflect.getOwnMetadata(KEYS.injectProps, ctor) ??
        new Map(Reflect.getMetadata(KEYS.injectProps, ctor) ?? []);
    const prev = own.get(key) ?? { token: undefined, optional: false };
    own.set(key, { ...prev, ...patch });
    Reflect.defineMetadata(KEYS.injectProps, own, ctor);
}
