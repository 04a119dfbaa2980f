export { KEYS } from './keys.js';
export {
  defineClassRecord,
  appendClassList,
  addRoute,
  addRpc,
  addCacheRule,
  addUseMiddleware,
  mergeParamInject,
  mergePropInject,
} from './write.js';
export {
  readModule,
  readInjectable,
  readServiceOptions,
  readMiddlewareOptions,
  readCacheRules,
  readConstructorDeps,
  readPropertyDeps,
  scanService,
  joinPath,
} from './read.js';
export type { Dependency, RouteDescriptor, RpcDescriptor, ServiceDescriptor } from './read.js';
export type {
  Scope,
  ModuleOptions,
  ServiceOptions,
  MiddlewareOptions,
  MiddlewareEntry,
  MiddlewareClass,
  RouteRecord,
  RpcRecord,
  InjectRecord,
  RequestSchema,
  CacheRecord,
  CacheKey,
} from './records.js';
export { token, tokenName } from './token.js';
export type { Token, Class, Constructor, ProviderToken } from './token.js';
export type { Provider, ClassProvider, ValueProvider, FactoryProvider, ExistingProvider, FactoryDependency } from './providers.js';
