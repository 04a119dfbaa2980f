/** Names of the application hooks, in the order they run (§1). */
export const HOOK_NAMES = ['beforeStart', 'afterStart', 'beforeStop', 'afterStop'];
export const DEFAULT_HTTP_ADDR = '0.0.0.0:8000';
export const DEFAULT_GRPC_ADDR = '0.0.0.0:9000';
export const DEFAULT_HTTP_TIMEOUT_MS = 1000;
export const DEFAULT_STOP_TIMEOUT_MS = 10_000;
export const DEFAULT_SIGNALS = ['SIGTERM', 'SIGQUIT', 'SIGINT'];
