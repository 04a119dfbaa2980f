export { token, tokenName } from '../annotations/index.js';
export type { Token, Class, Constructor, ProviderToken } from '../annotations/index.js';
export type { Provider, ClassProvider, ValueProvider, FactoryProvider, ExistingProvider, FactoryDependency } from '../annotations/index.js';
export type { ProviderDef } from './provider.js';
export type { OnInit, OnStart, OnStop, OnDestroy } from './lifecycle.js';
export { AppContainer } from './app-container.js';
export type { AppContainerOptions } from './app-container.js';
export type { ModuleGraph, ModuleNode } from './module-graph.js';
