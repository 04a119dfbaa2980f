export { KEYS } from './keys.js';
export { defineClassRecord, appendClassList, addRoute, addRpc, addCacheRule, addUseMiddleware, mergeParamInject, mergePropInject, } from './write.js';
export { readModule, readInjectable, readServiceOptions, readMiddlewareOptions, readCacheRules, readConstructorDeps, readPropertyDeps, scanService, joinPath, } from './read.js';
