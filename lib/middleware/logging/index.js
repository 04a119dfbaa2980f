export { loggingServer, loggingClient } from './logging.js';
