export { tracingServer, tracingClient } from './tracing.js';
