import 'reflect-metadata';
import { KEYS } from './keys.js';
import type { CacheRecord, InjectRecord, RouteRecord, RpcRecord, MiddlewareEntry } from './records.js';

type Key = (typeof KEYS)[keyof typeof KEYS];

/** Sets a class-level record. */
export function defineClassRecord(target: object, key: Key, value: unknown): void {
  Reflect.defineMetadata(key, value, target);
}

/** Appends to a list kept on the class itself; a subclass starts from a copy of its parent's list. */
export function appendClassList<T>(target: object, key: Key, item: T): void {
  const own = Reflect.getOwnMetadata(key, target) as T[] | undefined;
  const list = own ?? [...((Reflect.getMetadata(key, target) as T[] | undefined) ?? [])];
  list.push(item);
  Reflect.defineMetadata(key, list, target);
}

export function addRoute(ctor: object, route: RouteRecord): void {
  appendClassList(ctor, KEYS.httpRoutes, route);
}

export function addRpc(ctor: object, rpc: RpcRecord): void {
  appendClassList(ctor, KEYS.rpcs, rpc);
}

export function addCacheRule(ctor: object, rule: CacheRecord): void {
  appendClassList(ctor, KEYS.cache, rule);
}

/** Records `@UseMiddleware` on a class (propertyKey undefined) or one of its methods. */
export function addUseMiddleware(ctor: object, propertyKey: string | symbol | undefined, entries: MiddlewareEntry[]): void {
  appendClassList(ctor, KEYS.useMiddleware, { propertyKey, entries });
}

/** Merges an explicit injection record for constructor parameter `index`. */
export function mergeParamInject(ctor: object, index: number, patch: Partial<InjectRecord>): void {
  const own = (Reflect.getOwnMetadata(KEYS.injectParams, ctor) as Map<number, InjectRecord> | undefined) ?? new Map();
  const prev = own.get(index) ?? { token: undefined, optional: false };
  own.set(index, { ...prev, ...patch });
  Reflect.defineMetadata(KEYS.injectParams, own, ctor);
}

/** Merges an explicit injection record for property `key`. */
export function mergePropInject(ctor: object, key: string | symbol, patch: Partial<InjectRecord>): void {
  const own =
    (Reflect.getOwnMetadata(KEYS.injectProps, ctor) as Map<string | symbol, InjectRecord> | undefined) ??
    new Map((Reflect.getMetadata(KEYS.injectProps, ctor) as Map<string | symbol, InjectRecord> | undefined) ?? []);
  const prev = own.get(key) ?? { token: undefined, optional: false };
  own.set(key, { ...prev, ...patch });
  Reflect.defineMetadata(KEYS.injectProps, own, ctor);
}
