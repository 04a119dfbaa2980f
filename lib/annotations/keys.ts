/** Namespaced reflect-metadata keys; decorators write them, the scanner reads them at boot. */
export const KEYS = {
  module: 'kratos-ts/module',
  injectable: 'kratos-ts/injectable',
  service: 'kratos-ts/service',
  middleware: 'kratos-ts/middleware',
  httpPrefix: 'kratos-ts/http/prefix',
  httpRoutes: 'kratos-ts/http/routes',
  rpcs: 'kratos-ts/rpc/methods',
  useMiddleware: 'kratos-ts/use-middleware',
  injectParams: 'kratos-ts/inject/params',
  injectProps: 'kratos-ts/inject/props',
  cache: 'kratos-ts/cache/methods',
} as const;
