export { loggingServer, loggingClient } from './logging.js';
export type { LoggingOptions } from './logging.js';
