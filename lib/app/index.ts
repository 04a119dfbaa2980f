export { App } from './app.js';
export type { RunOptions } from './app.js';
export { createApp } from './create-app.js';
export { defaultConfigDir, loadAppConfig, loggerFromConfig, projectRoot } from './app-config.js';
export { APP_INFO } from './app-info.js';
export { METER, TRACING } from './tokens.js';
export { HOOK_NAMES, DEFAULT_HTTP_ADDR, DEFAULT_HTTP_TIMEOUT_MS, DEFAULT_STOP_TIMEOUT_MS } from './options.js';
export type { AppOptions, AppInfo, Hook, HookName, HttpServerConfig, GrpcServerConfig } from './options.js';
