import 'reflect-metadata';
import * as errors from './errors/index.js';

export { App, createApp, APP_INFO, HOOK_NAMES } from './app/index.js';
export type { AppOptions, AppInfo, Hook, HookName, HttpServerConfig } from './app/index.js';
export { token, AppContainer } from './container/index.js';
export type {
  Token,
  ProviderToken,
  Provider,
  ClassProvider,
  ValueProvider,
  FactoryProvider,
  ExistingProvider,
  OnInit,
  OnStart,
  OnStop,
  OnDestroy,
} from './container/index.js';
export { Config, StaticConfig } from './config/index.js';
export { Logger, NoopLogger, StdLogger, parseLevel } from './log/index.js';
export type { Level, StdLoggerOptions } from './log/index.js';
export { chain, selector } from './middleware/index.js';
export type { Handler, Middleware, OperationMatcher } from './middleware/index.js';
export { currentContext, MapHeader } from './transport/index.js';
export type { Context, Header, Kind, Server } from './transport/index.js';
export { errors };
export { KratosError, FrameworkError, FRAMEWORK_ERRORS } from './errors/index.js';
export type { FrameworkErrorCode, Status } from './errors/index.js';
export type { ModuleOptions, ServiceOptions, MiddlewareOptions, MiddlewareEntry } from './metadata/index.js';
